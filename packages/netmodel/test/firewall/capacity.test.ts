import { domainListToSuricata, estimateRuleGroupCapacity, parseSuricataRules } from '../../src/firewall';
import { SEED_RULES } from './fixtures';

describe('estimateRuleGroupCapacity', () => {
  it('counts Suricata rules for a rules string', () => {
    expect(estimateRuleGroupCapacity({ RulesSource: { RulesString: SEED_RULES } })).toBe(2);
    expect(estimateRuleGroupCapacity({ RulesSource: { RulesString: '# only a comment\n' } })).toBe(0);
  });

  it('fails on an unsupported rule instead of guessing', () => {
    expect(() =>
      estimateRuleGroupCapacity(
        { RulesSource: { RulesString: 'pass tcp any any -> any any (pcre:"/x/"; sid:1;)' } },
        { source: 'extra.rules' },
      ),
    ).toThrow('extra.rules line 1: unsupported keyword "pcre"');
  });

  it('counts domains times target types for a domain list', () => {
    const list = (types: string[]) => ({
      RulesSource: {
        RulesSourceList: {
          Targets: ['.amazon.com', 'checkip.amazonaws.com', 'a.b'],
          TargetTypes: types as never,
          GeneratedRulesType: 'ALLOWLIST' as const,
        },
      },
    });
    expect(estimateRuleGroupCapacity(list(['TLS_SNI']))).toBe(3 * 1 + 1);
    expect(estimateRuleGroupCapacity(list(['TLS_SNI', 'HTTP_HOST']))).toBe(3 * 2 + 2);
  });

  it('reserves at least as many units as Network Firewall generates rules, and exactly that for a default-order allowlist', () => {
    const targets = ['.amazon.com', 'checkip.amazonaws.com', 'example.org', 'a.b'];
    for (const GeneratedRulesType of ['ALLOWLIST', 'DENYLIST'] as const) {
      for (const TargetTypes of [['TLS_SNI'], ['HTTP_HOST'], ['TLS_SNI', 'HTTP_HOST']] as (
        'TLS_SNI' | 'HTTP_HOST'
      )[][]) {
        for (const ruleOrder of ['DEFAULT_ACTION_ORDER', 'STRICT_ORDER'] as const) {
          const list = { Targets: targets, TargetTypes, GeneratedRulesType };
          const generated = parseSuricataRules(domainListToSuricata(list, { ruleOrder })).length;
          const estimate = estimateRuleGroupCapacity({ RulesSource: { RulesSourceList: list } });
          const label = `${GeneratedRulesType} ${TargetTypes.join('+')} ${ruleOrder}`;
          expect({ label, fits: estimate >= generated }).toEqual({ label, fits: true });
          if (GeneratedRulesType === 'ALLOWLIST' && ruleOrder === 'DEFAULT_ACTION_ORDER') {
            expect({ label, estimate }).toEqual({ label, estimate: generated });
          }
        }
      }
    }
  });

  it('multiplies match setting sizes for stateless rules and sums the rules', () => {
    const capacity = estimateRuleGroupCapacity({
      RulesSource: {
        StatelessRulesAndCustomActions: {
          StatelessRules: [
            { Priority: 1, RuleDefinition: { Actions: ['aws:pass'], MatchAttributes: {} } },
            {
              Priority: 2,
              RuleDefinition: {
                Actions: ['aws:drop'],
                MatchAttributes: {
                  Protocols: [6, 17],
                  Sources: [
                    { AddressDefinition: '10.0.0.0/24' },
                    { AddressDefinition: '10.0.1.0/24' },
                    { AddressDefinition: '10.0.2.0/24' },
                  ],
                  DestinationPorts: [
                    { FromPort: 80, ToPort: 80 },
                    { FromPort: 443, ToPort: 443 },
                  ],
                  Destinations: [{ AddressDefinition: '0.0.0.0/0' }],
                },
              },
            },
          ],
        },
      },
    });
    expect(capacity).toBe(1 + 2 * 3 * 2 * 1);
  });

  it('counts StatefulRules entries', () => {
    expect(
      estimateRuleGroupCapacity({
        RulesSource: {
          StatefulRules: [1, 2, 3].map(() => ({ Action: 'PASS', Header: undefined, RuleOptions: [] })),
        },
      }),
    ).toBe(3);
  });
});
