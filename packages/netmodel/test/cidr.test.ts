import {
  cidrContains,
  cidrsOverlap,
  intToIp,
  ipBlockContains,
  ipToInt,
  isIpv4,
  isPrivateIp,
  nextCidr,
  parseCidr,
  parseIp,
  parseIpBlock,
} from '../src/ip/cidr';
import { LpmTable } from '../src/ip/lpm';

const clear = { hostBits: 'clear' } as const;
const reject = { hostBits: 'reject' } as const;

describe('ip/cidr', () => {
  it('round-trips addresses', () => {
    expect(intToIp(ipToInt('10.1.2.3'))).toBe('10.1.2.3');
    expect(intToIp(ipToInt('255.255.255.255'))).toBe('255.255.255.255');
    expect(cidrContains(parseCidr('0.0.0.0/0', reject), ipToInt('255.255.255.255'))).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/8', reject), ipToInt('11.0.0.1'))).toBe(false);
  });

  it('host bits: the caller says whether they are cleared or rejected', () => {
    expect(intToIp(parseCidr('10.1.2.3/16', clear).base)).toBe('10.1.0.0');
    expect(() => parseCidr('10.1.2.3/16', { ...reject, what: 'spoke-a:vpcCidr' })).toThrow(
      'invalid spoke-a:vpcCidr "10.1.2.3/16": host bits set; did you mean 10.1.0.0/16?',
    );
    expect(parseCidr('10.1.0.0/16', reject).base).toBe(ipToInt('10.1.0.0'));
  });

  it('rejects malformed values naming them', () => {
    expect(() => ipToInt('10.0.0.256')).toThrow('"10.0.0.256"');
    expect(() => parseCidr('10.0.0.0/33', { ...clear, what: 'DestinationCidrBlock' })).toThrow(
      'invalid DestinationCidrBlock "10.0.0.0/33"',
    );
    for (const bad of ['banana', '10.0.0.0', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0/8'])
      expect(() => parseCidr(bad, clear)).toThrow(JSON.stringify(bad));
    for (const bad of [
      '1.2.3',
      '1.2.3.4.5',
      '1..2.3',
      '1.2.3.4a',
      '',
      ' 1.2.3.4',
      '1234.1.1.1',
      '1.2.3.',
      '010.0.0.1',
    ]) {
      expect(() => ipToInt(bad, 'source')).toThrow(`invalid source "${bad}"`);
      expect(isIpv4(bad)).toBe(false);
    }
  });

  it('walks and compares blocks', () => {
    const a = parseCidr('10.0.0.0/20', reject);
    expect(nextCidr(a)!.text).toBe('10.0.16.0/20');
    expect(nextCidr(parseCidr('255.255.255.0/24', reject))).toBeUndefined();
    expect(cidrsOverlap(a, parseCidr('10.0.8.0/24', reject))).toBe(true);
    expect(cidrsOverlap(a, parseCidr('10.0.16.0/24', reject))).toBe(false);
  });

  it('knows private ranges', () => {
    expect(isPrivateIp(ipToInt('172.20.0.1'))).toBe(true);
    expect(isPrivateIp(ipToInt('203.0.113.1'))).toBe(false);
  });

  it('LPM returns the longest matching prefix only', () => {
    const t = new LpmTable<string>();
    t.add(parseCidr('0.0.0.0/0', clear), 'default');
    t.add(parseCidr('10.0.0.0/8', clear), 'supernet');
    t.add(parseCidr('10.1.0.0/16', clear), 'spoke');
    expect(t.lookup(ipToInt('10.1.5.5'))).toEqual(['spoke']);
    expect(t.lookup(ipToInt('10.2.5.5'))).toEqual(['supernet']);
    expect(t.lookup(ipToInt('8.8.8.8'))).toEqual(['default']);
    const empty = new LpmTable<string>();
    empty.add(parseCidr('10.0.0.0/8', clear), 'x');
    expect(empty.lookup(ipToInt('8.8.8.8'))).toEqual([]);
  });
});

describe('ip/cidr: IPv4 and IPv6 blocks (firewall rules)', () => {
  it('parses dotted-quad IPv4 and IPv6, rejecting shorthand forms', () => {
    expect(parseIp('10.16.0.7')).toEqual({ family: 4, value: 0x0a100007n });
    expect(parseIp('2001:db8::1')).toEqual({ family: 6, value: 0x20010db8000000000000000000000001n });
    for (const bad of ['10.16.7', '0x0a.0.0.1', '10.0.0.256', 'example.com', '2001:db8:::1']) {
      expect(parseIp(bad)).toBeUndefined();
    }
  });

  it('matches addresses of the same family inside a block only', () => {
    const v4 = parseIpBlock('10.16.0.0/12', reject)!;
    const v6 = parseIpBlock('2001:db8::/32', reject)!;
    expect(ipBlockContains(v4, parseIp('10.31.255.255')!)).toBe(true);
    expect(ipBlockContains(v4, parseIp('10.32.0.0')!)).toBe(false);
    expect(ipBlockContains(v6, parseIp('2001:db8:ffff::1')!)).toBe(true);
    expect(ipBlockContains(v6, parseIp('2001:db9::1')!)).toBe(false);
    expect(ipBlockContains(v4, parseIp('::ffff:10.16.0.1')!)).toBe(false);
  });

  it('applies the same host-bit rule, and takes a bare address as a host block', () => {
    expect(parseIpBlock('10.16.0.1/12', reject)).toBeUndefined();
    expect(parseIpBlock('10.16.0.1/12', clear)!.network).toBe(0x0a100000n);
    expect(parseIpBlock('10.16.0.1', reject)!.prefix).toBe(32);
  });
});
