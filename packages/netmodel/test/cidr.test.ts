import { cidrContains, intToIp, ipToInt, isPrivateIp, parseCidr } from '../src/ip/cidr';
import { LpmTable } from '../src/ip/lpm';

describe('ip/cidr', () => {
  it('round-trips addresses and clears host bits', () => {
    expect(intToIp(ipToInt('10.1.2.3'))).toBe('10.1.2.3');
    expect(intToIp(parseCidr('10.1.2.3/16').base)).toBe('10.1.0.0');
    expect(cidrContains(parseCidr('0.0.0.0/0'), ipToInt('255.255.255.255'))).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/8'), ipToInt('11.0.0.1'))).toBe(false);
  });

  it('rejects malformed values naming them', () => {
    expect(() => ipToInt('10.0.0.256')).toThrow('"10.0.0.256"');
    expect(() => parseCidr('10.0.0.0/33', 'DestinationCidrBlock')).toThrow(
      'invalid DestinationCidrBlock "10.0.0.0/33"',
    );
    expect(() => parseCidr('banana')).toThrow('"banana"');
    for (const bad of ['1.2.3', '1.2.3.4.5', '1..2.3', '1.2.3.4a', '', ' 1.2.3.4', '1234.1.1.1', '1.2.3.']) {
      expect(() => ipToInt(bad, 'source')).toThrow(`invalid source "${bad}"`);
    }
  });

  it('knows private ranges', () => {
    expect(isPrivateIp(ipToInt('172.20.0.1'))).toBe(true);
    expect(isPrivateIp(ipToInt('203.0.113.1'))).toBe(false);
  });

  it('LPM returns the longest matching prefix only', () => {
    const t = new LpmTable<string>();
    t.add(parseCidr('0.0.0.0/0'), 'default');
    t.add(parseCidr('10.0.0.0/8'), 'supernet');
    t.add(parseCidr('10.1.0.0/16'), 'spoke');
    expect(t.lookup(ipToInt('10.1.5.5'))).toEqual(['spoke']);
    expect(t.lookup(ipToInt('10.2.5.5'))).toEqual(['supernet']);
    expect(t.lookup(ipToInt('8.8.8.8'))).toEqual(['default']);
    const empty = new LpmTable<string>();
    empty.add(parseCidr('10.0.0.0/8'), 'x');
    expect(empty.lookup(ipToInt('8.8.8.8'))).toEqual([]);
  });
});
