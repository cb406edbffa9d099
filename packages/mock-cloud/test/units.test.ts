import { Account } from '../src';
import { toApiShape } from '../src/firewall';
import { awsId, routeId } from '../src/ids';
import { PublicIpPool, SubnetAddresses, parseCidr } from '../src/ip';
import { availabilityZones } from '../src/regions';

describe('address allocation', () => {
  it('skips the four addresses AWS reserves at the start and the broadcast address', () => {
    const subnet = new SubnetAddresses(parseCidr('10.0.0.0/28'));
    expect(subnet.available).toBe(11);
    const ips = Array.from({ length: 11 }, () => subnet.allocate('subnet-1'));
    expect(ips[0]).toBe('10.0.0.4');
    expect(ips.at(-1)).toBe('10.0.0.14');
    expect(() => subnet.allocate('subnet-1')).toThrow('InsufficientFreeAddressesInSubnet');
  });

  it('refuses reserved or taken explicit addresses', () => {
    const subnet = new SubnetAddresses(parseCidr('10.0.0.0/24'));
    expect(() => subnet.allocate('subnet-1', '10.0.0.3')).toThrow('is not a usable address');
    expect(() => subnet.allocate('subnet-1', '10.0.0.255')).toThrow('is not a usable address');
    expect(subnet.allocate('subnet-1', '10.0.0.4')).toBe('10.0.0.4');
    expect(() => subnet.allocate('subnet-1', '10.0.0.4')).toThrow('InvalidIPAddress.InUse');
    expect(subnet.allocate('subnet-1')).toBe('10.0.0.5');
  });

  it('picks an address by the ENI identity, so the order of creation does not change it', () => {
    const seeds = ['eni-a', 'eni-b', 'eni-c', 'eni-d'];
    const inOrder = new SubnetAddresses(parseCidr('10.0.0.0/24'));
    const forward = Object.fromEntries(seeds.map((s) => [s, inOrder.allocate('subnet-1', undefined, s)]));
    const reversed = new SubnetAddresses(parseCidr('10.0.0.0/24'));
    const backward = Object.fromEntries(
      [...seeds].reverse().map((s) => [s, reversed.allocate('subnet-1', undefined, s)]),
    );
    expect(backward).toEqual(forward);
    expect(new Set(Object.values(forward)).size).toBe(seeds.length);
    // a full subnet still hands out every usable address once, then refuses
    const small = new SubnetAddresses(parseCidr('10.0.0.0/28'));
    const all = Array.from({ length: 11 }, (_, i) => small.allocate('subnet-2', undefined, `eni-${i}`));
    expect(new Set(all).size).toBe(11);
    expect(all.every((ip) => /^10\.0\.0\.([4-9]|1[0-4])$/.test(ip))).toBe(true);
    expect(() => small.allocate('subnet-2', undefined, 'eni-x')).toThrow('InsufficientFreeAddressesInSubnet');
  });

  it('hands out public IPs from the documentation ranges only', () => {
    const pool = new PublicIpPool();
    const ips = Array.from({ length: 255 }, () => pool.allocate());
    expect(ips[0]).toBe('198.51.100.1');
    expect(ips[253]).toBe('198.51.100.254');
    expect(ips[254]).toBe('203.0.113.1');
    const a = new PublicIpPool();
    const b = new PublicIpPool();
    const x = [a.allocate('eipalloc-1'), a.allocate('eipalloc-2')];
    expect([b.allocate('eipalloc-2'), b.allocate('eipalloc-1')]).toEqual([x[1], x[0]]);
    expect(x.every((ip) => /^(198\.51\.100|203\.0\.113)\.\d+$/.test(ip))).toBe(true);
  });

  it('rejects a CIDR with host bits set, as AWS does', () => {
    expect(() => parseCidr('10.0.0.1/24')).toThrow("'10.0.0.1/24' is not a valid CIDR block (host bits set)");
  });
});

describe('identifiers and regions', () => {
  it('derives ids from their seed only', () => {
    expect(awsId('vpc', 'tgw/dev/x')).toBe(awsId('vpc', 'tgw/dev/x'));
    expect(awsId('vpc', 'tgw/dev/x')).not.toBe(awsId('vpc', 'tgw/dev/y'));
    expect(awsId('vpc', 'a')).toMatch(/^vpc-[0-9a-f]{17}$/);
  });

  it('gives routes the AWS provider id form', () => {
    expect(routeId('rtb-1', '0.0.0.0/0')).toBe('r-rtb-11080289494');
  });

  it('knows the AZs of a region with their zone ids', () => {
    expect(availabilityZones('eu-west-1')).toEqual([
      { name: 'eu-west-1a', zoneId: 'euw1-az1' },
      { name: 'eu-west-1b', zoneId: 'euw1-az2' },
      { name: 'eu-west-1c', zoneId: 'euw1-az3' },
    ]);
    expect(() => new Account('mars-north-1')).toThrow("unknown region 'mars-north-1'");
  });
});

describe('Network Firewall input conversion', () => {
  it('converts stateful and stateless rules and key/value lists to the API shapes', () => {
    expect(
      toApiShape({
        ruleVariables: {
          ipSets: [{ key: 'HOME_NET', ipSet: { definitions: ['10.0.0.0/8'] } }],
          portSets: [{ key: 'WEB', portSet: { definitions: ['80', '443'] } }],
        },
        rulesSource: {
          statefulRules: [
            {
              action: 'PASS',
              header: {
                protocol: 'TCP',
                source: '$HOME_NET',
                sourcePort: 'ANY',
                direction: 'FORWARD',
                destination: 'ANY',
                destinationPort: '443',
              },
              ruleOptions: [{ keyword: 'sid', settings: ['1'] }],
            },
          ],
        },
        referenceSets: {
          ipSetReferences: [
            { key: 'LIST', ipSetReferences: [{ referenceArn: 'arn:aws:ec2:::prefix-list/pl-1' }] },
          ],
        },
      }),
    ).toEqual({
      RuleVariables: {
        IPSets: { HOME_NET: { Definition: ['10.0.0.0/8'] } },
        PortSets: { WEB: { Definition: ['80', '443'] } },
      },
      RulesSource: {
        StatefulRules: [
          {
            Action: 'PASS',
            Header: {
              Protocol: 'TCP',
              Source: '$HOME_NET',
              SourcePort: 'ANY',
              Direction: 'FORWARD',
              Destination: 'ANY',
              DestinationPort: '443',
            },
            RuleOptions: [{ Keyword: 'sid', Settings: ['1'] }],
          },
        ],
      },
      ReferenceSets: { IPSetReferences: { LIST: { ReferenceArn: 'arn:aws:ec2:::prefix-list/pl-1' } } },
    });
    expect(
      toApiShape({
        statelessRulesAndCustomActions: {
          statelessRules: [
            {
              priority: 1,
              ruleDefinition: {
                actions: ['aws:pass'],
                matchAttributes: {
                  sources: [{ addressDefinition: '10.0.0.0/8' }],
                  destinationPorts: [{ fromPort: 443, toPort: 443 }],
                  protocols: [6],
                  tcpFlags: [{ flags: ['SYN'], masks: ['SYN', 'ACK'] }],
                },
              },
            },
          ],
        },
      }),
    ).toEqual({
      StatelessRulesAndCustomActions: {
        StatelessRules: [
          {
            Priority: 1,
            RuleDefinition: {
              Actions: ['aws:pass'],
              MatchAttributes: {
                Sources: [{ AddressDefinition: '10.0.0.0/8' }],
                DestinationPorts: [{ FromPort: 443, ToPort: 443 }],
                Protocols: [6],
                TCPFlags: [{ Flags: ['SYN'], Masks: ['SYN', 'ACK'] }],
              },
            },
          },
        ],
      },
    });
  });

  it('converts policy options whose API names are not plain capitalisations', () => {
    expect(
      toApiShape({
        statefulRuleGroupReferences: [
          {
            resourceArn: 'arn:x',
            priority: 1,
            deepThreatInspection: 'false',
            override: { action: 'DROP_TO_ALERT' },
          },
        ],
        statefulEngineOptions: {
          ruleOrder: 'STRICT_ORDER',
          streamExceptionPolicy: 'DROP',
          flowTimeouts: { tcpIdleTimeoutSeconds: 350 },
        },
        tlsInspectionConfigurationArn: 'arn:tls',
        enableTlsSessionHolding: true,
      }),
    ).toEqual({
      StatefulRuleGroupReferences: [
        {
          ResourceArn: 'arn:x',
          Priority: 1,
          DeepThreatInspection: false,
          Override: { Action: 'DROP_TO_ALERT' },
        },
      ],
      StatefulEngineOptions: {
        RuleOrder: 'STRICT_ORDER',
        StreamExceptionPolicy: 'DROP',
        FlowTimeouts: { TcpIdleTimeoutSeconds: 350 },
      },
      TLSInspectionConfigurationArn: 'arn:tls',
      EnableTLSSessionHolding: true,
    });
  });
});
