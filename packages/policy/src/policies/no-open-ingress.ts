/**
 * No security group admits the whole internet. In this network nothing should be reachable from
 * outside at all (spokes have no public addresses, the hub's only inbound path is the NAT's
 * replies), so an ingress rule from 0.0.0.0/0 or ::/0 is a mistake or a design change to review.
 */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { configSchema, reporter, type CommonConfig } from '../config';
import { T } from '../types';

/** Any CIDR with prefix length 0 is "everything" (`0.0.0.0/0`, `::/0`, and spellings like `0::/0`). */
export function isWholeInternet(cidr: unknown): boolean {
  return typeof cidr === 'string' && /\/0+$/.test(cidr.trim());
}

function ports(rule: Record<string, unknown>): string {
  const protocol = String(rule.protocol ?? rule.ipProtocol ?? 'all');
  const from = rule.fromPort;
  const to = rule.toPort;
  if (protocol === '-1' || protocol === 'all') return 'all traffic';
  return from === to ? `${protocol} ${String(from)}` : `${protocol} ${String(from)}-${String(to)}`;
}

function openCidrs(rule: Record<string, unknown>): string[] {
  const lists = [rule.cidrBlocks, rule.ipv6CidrBlocks].flatMap((l) => (Array.isArray(l) ? l : []));
  return lists.filter(isWholeInternet).map(String);
}

export const noOpenIngress: ResourceValidationPolicy = {
  name: 'no-open-ingress',
  description: 'No security group ingress from 0.0.0.0/0 or ::/0.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  configSchema: configSchema(),
  validateResource: (args, reportViolation) => {
    const config = args.getConfig<CommonConfig>();
    const violation = (message: string) => reporter(reportViolation, config.exemptions)(args.urn, message);
    const props = args.props;
    switch (args.type) {
      case T.securityGroup:
      case T.defaultSecurityGroup:
        for (const rule of (props.ingress as Record<string, unknown>[] | undefined) ?? []) {
          const open = openCidrs(rule);
          if (open.length) violation(`ingress ${ports(rule)} from ${open.join(', ')}`);
        }
        return;
      case T.securityGroupRule:
        if (props.type === 'ingress') {
          const open = openCidrs(props);
          if (open.length) violation(`ingress rule ${ports(props)} from ${open.join(', ')}`);
        }
        return;
      case T.securityGroupIngressRule: {
        const open = [props.cidrIpv4, props.cidrIpv6].filter(isWholeInternet).map(String);
        if (open.length) violation(`ingress rule ${ports(props)} from ${open.join(', ')}`);
        return;
      }
      default:
        args.notApplicable('not a security group or security group rule');
    }
  },
};
