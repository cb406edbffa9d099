import { cidrContains, parseCidr, parseIp } from '../../src/firewall/ip';

describe('firewall addresses', () => {
  it('parses dotted-quad IPv4 and IPv6, rejecting shorthand forms', () => {
    expect(parseIp('10.16.0.7')).toEqual({ family: 4, value: 0x0a100007n });
    expect(parseIp('2001:db8::1')).toEqual({ family: 6, value: 0x20010db8000000000000000000000001n });
    for (const bad of ['10.16.7', '0x0a.0.0.1', '10.0.0.256', 'example.com', '2001:db8:::1']) {
      expect(parseIp(bad)).toBeUndefined();
    }
  });

  it('matches addresses of the same family inside a block only', () => {
    const v4 = parseCidr('10.16.0.0/12')!;
    const v6 = parseCidr('2001:db8::/32')!;
    expect(cidrContains(v4, parseIp('10.31.255.255')!)).toBe(true);
    expect(cidrContains(v4, parseIp('10.32.0.0')!)).toBe(false);
    expect(cidrContains(v6, parseIp('2001:db8:ffff::1')!)).toBe(true);
    expect(cidrContains(v6, parseIp('2001:db9::1')!)).toBe(false);
    expect(cidrContains(v4, parseIp('::ffff:10.16.0.1')!)).toBe(false);
  });
});
