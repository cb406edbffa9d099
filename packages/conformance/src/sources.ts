/** The documents the cases rest on, named once so every case cites them the same way. */
import type { Source } from './types';

export const SURICATA_RULE_TYPES: Source = {
  title: 'Suricata user guide, "Rule Types and Categorization" (action scope per rule type)',
  url: 'https://docs.suricata.io/en/latest/rules/rule-types.html',
};
export const AWS_BP_CUSTOMER_RULES: Source = {
  title:
    'AWS Network Firewall best practices, "Customer managed rules" (always use the flow: keyword; domain list capacity and strict order)',
  url: 'https://aws.github.io/aws-security-services-best-practices/guides/network-firewall/customer-managed-rules/docs/',
};
export const AWS_BP_POLICY: Source = {
  title:
    'AWS Network Firewall best practices, "Firewall policy configuration" (default actions, $HOME_NET and $EXTERNAL_NET, stream exception policy)',
  url: 'https://aws.github.io/aws-security-services-best-practices/guides/network-firewall/firewall-policy-configuration/docs/',
};
export const AWS_RULE_ORDER: Source = {
  title:
    'AWS Network Firewall developer guide, "Evaluation order for stateful rule groups" (action order, strict order, default actions)',
  url: 'https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html',
};
export const AWS_DOMAIN_LISTS: Source = {
  title: 'AWS Network Firewall developer guide, "Stateful domain list rule groups in AWS Network Firewall"',
  url: 'https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-domain-names.html',
};
export const AWS_SURICATA_EXAMPLES: Source = {
  title:
    'AWS Network Firewall developer guide, "Examples of Suricata compatible rules for Network Firewall" (incl. the rules generated for domain lists)',
  url: 'https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-examples.html',
};
export const AWS_TROUBLESHOOTING_RULES: Source = {
  title:
    'AWS Network Firewall developer guide, "Troubleshooting rules in Network Firewall" (HOME_NET and EXTERNAL_NET)',
  url: 'https://docs.aws.amazon.com/network-firewall/latest/developerguide/troubleshooting-rules.html',
};
export const AWS_STREAM_EXCEPTION: Source = {
  title:
    'AWS Network Firewall developer guide, "Stream exception policy options in your AWS Network Firewall firewall policy"',
  url: 'https://docs.aws.amazon.com/network-firewall/latest/developerguide/stream-exception-policy.html',
};
export const AWS_TCP_FLAG_FIELD: Source = {
  title: 'AWS Network Firewall API reference, "TCPFlagField" (Masks unset: all flags are inspected)',
  url: 'https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_TCPFlagField.html',
};
export const AWS_STATELESS_ACTIONS: Source = {
  title:
    'AWS Network Firewall developer guide, "Defining rule actions in AWS Network Firewall" (stateless aws:pass)',
  url: 'https://docs.aws.amazon.com/network-firewall/latest/developerguide/rule-action.html',
};
export const AWS_HOME_NET: Source = {
  title:
    'AWS Network Firewall API reference, "PolicyVariables" (HOME_NET defaults to the inspection VPC CIDR)',
  url: 'https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_PolicyVariables.html',
};
export const AWS_STRICT_DEFAULT_ACTIONS: Source = {
  title:
    'AWS Network Firewall developer guide, "Evaluation order for stateful rule groups", strict order default actions (Drop established, Application drop established bidirectional / server-directed only)',
  url: 'https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html#suricata-strict-rule-evaluation-order-default',
};
export const AWS_DEFAULT_DROP_ANNOUNCEMENT: Source = {
  title:
    'AWS What\'s New, "AWS Network Firewall updates default drop action for improved connection reliability" (server-directed only keeps server-to-client packets)',
  url: 'https://aws.amazon.com/about-aws/whats-new/2026/06/aws-network-firewall-updates-default-drop-action',
};
