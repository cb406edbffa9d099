/**
 * The firewall policy plan: a pure, validated description of the rule groups and policy the
 * `FirewallPolicy` component creates. Keeping it pure lets the program fail on a bad domain or rule
 * before any resource is registered, and lets tests read the generated rules directly.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RuleGroup } from '@aws-sdk/client-network-firewall';
import {
  estimateRuleGroupCapacity,
  parseSuricataRules,
  statefulDefaultActionsProblem,
  validateDomain,
} from '@hubspoke/netmodel';
import { parseCidr } from './cidr';

/** Drop whatever no rule passed, and log it (docs/network-design.md: strict order, default drop). */
export const DEFAULT_STATEFUL_ACTIONS = ['aws:drop_strict', 'aws:alert_strict'] as const;

/**
 * Under strict order with a drop default the TCP handshake, which carries no SNI or Host yet, would
 * be dropped before the domain rules could see the ClientHello. This rule passes handshakes only;
 * the application data still has to pass a domain rule. Its `flow:` keyword makes it a packet rule
 * (Suricata user guide, "Rule Types and Categorization",
 * https://docs.suricata.io/en/latest/rules/rule-types.html): it passes the packets it matches and
 * inspection goes on. Hence `<>`: written `->` it would pass the SYN and leave the SYN-ACK to
 * `aws:drop_strict`. Without `flow:` it would be IP-only and pass whole flows at their SYN,
 * before any SNI or Host is seen.
 */
export const HANDSHAKE_RULES = [
  'pass tcp $HOME_NET any <> $EXTERNAL_NET [80,443] (flow:not_established; msg:"TCP handshakes to web ports, so the domain rules can inspect SNI and Host"; sid:1000001; rev:1;)',
].join('\n');

export interface FirewallPlanInputs {
  /** HOME_NET: the supernet in a centralized design (the firewall VPC's CIDR otherwise). */
  homeNet: string[];
  /** Domain allowlist for TLS SNI and HTTP Host; a leading dot covers the domain and its subdomains. */
  allowedDomains: string[];
  /** Suricata rules files added after the allowlist, in order. */
  rulesFiles: string[];
  /** Directory `rulesFiles` are relative to. */
  baseDir: string;
  statefulDefaultActions: string[];
}

export interface PlannedRuleGroup {
  /** Short, stable name used for the Pulumi resource. */
  key: string;
  priority: number;
  capacity: number;
  /** The rule group exactly as the Network Firewall API shapes it. */
  ruleGroup: RuleGroup;
}

export interface FirewallPlan {
  homeNet: string[];
  statefulDefaultActions: string[];
  ruleGroups: PlannedRuleGroup[];
}

export function planFirewallPolicy(inputs: FirewallPlanInputs): FirewallPlan {
  if (inputs.homeNet.length === 0) throw new Error('HOME_NET needs at least one CIDR');
  inputs.homeNet.forEach((cidr, i) => parseCidr(cidr, `HOME_NET[${i}]`));
  validateDefaultActions(inputs.statefulDefaultActions);
  const variables = { IPSets: { HOME_NET: { Definition: inputs.homeNet } } };
  const strict = { RuleOrder: 'STRICT_ORDER' as const };
  const groups: PlannedRuleGroup[] = [];
  const add = (key: string, ruleGroup: RuleGroup): void => {
    groups.push({
      key,
      priority: (groups.length + 1) * 10,
      capacity: estimateRuleGroupCapacity(ruleGroup),
      ruleGroup,
    });
  };

  parseSuricataRules(HANDSHAKE_RULES, { source: 'built-in handshake rules' });
  add('handshake', {
    RuleVariables: variables,
    RulesSource: { RulesString: HANDSHAKE_RULES },
    StatefulRuleOptions: strict,
  });

  const domains = normaliseDomains(inputs.allowedDomains);
  if (domains.length > 0) {
    add('allowlist', {
      RuleVariables: variables,
      RulesSource: {
        RulesSourceList: {
          Targets: domains,
          TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
          GeneratedRulesType: 'ALLOWLIST',
        },
      },
      StatefulRuleOptions: strict,
    });
  }

  inputs.rulesFiles.forEach((file, index) => {
    const text = readRulesFile(inputs.baseDir, file);
    parseSuricataRules(text, { source: file });
    add(`rules-${index + 1}`, {
      RuleVariables: variables,
      RulesSource: { RulesString: text },
      StatefulRuleOptions: strict,
    });
  });

  return {
    homeNet: inputs.homeNet,
    statefulDefaultActions: inputs.statefulDefaultActions,
    ruleGroups: groups,
  };
}

/** Validates each domain (naming the bad one) and drops duplicates, keeping the given order. */
export function normaliseDomains(domains: string[]): string[] {
  const seen = new Set<string>();
  for (const domain of domains) {
    validateDomain(domain);
    seen.add(domain.toLowerCase());
  }
  return [...seen];
}

/** What AWS accepts as StatefulDefaultActions (netmodel's default-actions.ts cites the guide). */
function validateDefaultActions(actions: string[]): void {
  const problem = statefulDefaultActionsProblem(actions);
  if (problem) throw new Error(`statefulDefaultActions: ${problem}`);
}

function readRulesFile(baseDir: string, file: string): string {
  const full = path.resolve(baseDir, file);
  try {
    return fs.readFileSync(full, 'utf8');
  } catch (err) {
    throw new Error(
      `rules file ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err },
    );
  }
}
