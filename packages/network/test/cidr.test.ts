import { cidrSize, lastAddress } from '@hubspoke/netmodel';
import {
  assertNoOverlap,
  assertVpcCidr,
  assertWithin,
  nextFreeCidr,
  parseCidr,
  planExactSubnets,
  planSpokeSubnets,
} from '../src/cidr';

/** The ordered blocks tile `vpc` exactly when each starts where the previous ended. */
function tiles(vpc: string, blocks: string[]): boolean {
  const outer = parseCidr(vpc);
  let expected = outer.base;
  for (const b of blocks) {
    const block = parseCidr(b);
    if (block.base !== expected) return false;
    expected = block.base + cidrSize(block);
  }
  return lastAddress(parseCidr(blocks[blocks.length - 1])) === lastAddress(outer);
}

describe('parseCidr', () => {
  it('accepts a network address', () => {
    expect(parseCidr('10.0.0.0/16').prefix).toBe(16);
  });
  it.each([
    ['10.0.0.1/16', /host bits set; did you mean 10.0.0.0\/16/],
    ['10.0.0.0', /not an IPv4 CIDR block/],
    ['10.0.0.0/33', /not a valid CIDR block/],
    ['banana', /"banana" is not an IPv4 CIDR/],
  ])('rejects %s naming it', (cidr, message) => {
    expect(() => parseCidr(cidr, 'spoke-a:vpcCidr')).toThrow(message);
    expect(() => parseCidr(cidr, 'spoke-a:vpcCidr')).toThrow(/spoke-a:vpcCidr/);
  });
});

describe('containment and overlap', () => {
  it('passes a CIDR inside the supernet and names both when outside', () => {
    expect(() =>
      assertWithin({ name: 'supernet', cidr: '10.16.0.0/12' }, { name: 'spoke-a', cidr: '10.17.0.0/16' }),
    ).not.toThrow();
    expect(() =>
      assertWithin({ name: 'supernet', cidr: '10.16.0.0/12' }, { name: 'spoke-a', cidr: '10.64.0.0/16' }),
    ).toThrow('spoke-a 10.64.0.0/16 is outside supernet 10.16.0.0/12');
  });
  it('rejects a CIDR larger than the supernet that contains its base', () => {
    expect(() =>
      assertWithin({ name: 'supernet', cidr: '10.16.0.0/16' }, { name: 'x', cidr: '10.16.0.0/12' }),
    ).toThrow(/outside/);
  });
  it('names both CIDRs of an overlap', () => {
    expect(() =>
      assertNoOverlap([
        { name: 'spoke-a', cidr: '10.17.0.0/16' },
        { name: 'spoke-b', cidr: '10.18.0.0/16' },
      ]),
    ).not.toThrow();
    expect(() =>
      assertNoOverlap([
        { name: 'spoke-a', cidr: '10.17.0.0/16' },
        { name: 'spoke-c', cidr: '10.17.128.0/17' },
      ]),
    ).toThrow('spoke-a 10.17.0.0/16 overlaps spoke-c 10.17.128.0/17');
  });
  it('limits VPC sizes to what AWS allows', () => {
    expect(() => assertVpcCidr('10.0.0.0/16', 'v')).not.toThrow();
    expect(() => assertVpcCidr('10.0.0.0/15', 'v')).toThrow('v 10.0.0.0/15 must be between /16 and /28');
  });
});

describe('nextFreeCidr', () => {
  it('skips every block that overlaps a taken CIDR', () => {
    expect(nextFreeCidr('10.16.0.0/12', ['10.16.0.0/24', '10.17.0.0/16'], 16)).toBe('10.18.0.0/16');
  });
  it('fails when the supernet is full', () => {
    expect(() => nextFreeCidr('10.0.0.0/15', ['10.0.0.0/16', '10.1.0.0/16'], 16)).toThrow(
      /no free \/16 left in the supernet 10.0.0.0\/15/,
    );
  });
});

describe('planExactSubnets', () => {
  const roles = ['public', 'firewall', 'tgw'] as const;
  it.each([
    ['10.16.0.0/24', ['us-east-1a', 'us-east-1b']],
    ['10.16.0.0/24', ['us-east-1a', 'us-east-1b', 'us-east-1c']],
    ['10.16.0.0/22', ['a', 'b', 'c', 'd']],
  ])('tiles %s across %j in awsx order (AZ first, then role) with no gap', (vpc, azs) => {
    const plan = planExactSubnets(vpc, azs, roles);
    const ordered = azs.flatMap((_, i) => roles.map((r) => plan[r][i]));
    expect(tiles(vpc, ordered)).toBe(true);
    for (const cidr of ordered) expect(parseCidr(cidr).prefix).toBeLessThanOrEqual(28);
  });
  it('refuses a VPC too small for /28 subnets', () => {
    expect(() => planExactSubnets('10.16.0.0/26', ['a', 'b', 'c'], roles)).toThrow(
      'VPC CIDR 10.16.0.0/26 is too small for 9 subnets (3 per AZ x 3 AZs) of at least /28; use a /24 or larger',
    );
  });
  it('refuses a repeated AZ', () => {
    expect(() => planExactSubnets('10.16.0.0/24', ['a', 'a'], roles)).toThrow(
      'availability zone a is listed twice',
    );
  });
});

describe('planSpokeSubnets', () => {
  it('gives each AZ an equal workload slot and /28 TGW subnets in the last slot', () => {
    expect(planSpokeSubnets('10.17.0.0/16', ['us-east-1a', 'us-east-1b', 'us-east-1c'])).toEqual({
      workload: ['10.17.0.0/18', '10.17.64.0/18', '10.17.128.0/18'],
      tgw: ['10.17.192.0/28', '10.17.192.16/28', '10.17.192.32/28'],
    });
  });
  it('refuses a VPC too small for the layout', () => {
    expect(() => planSpokeSubnets('10.17.0.0/28', ['a', 'b'])).toThrow(/too small/);
  });
});
