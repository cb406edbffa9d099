/**
 * Security groups and network ACLs, compiled once into the rule form the evaluator reads. A subnet
 * with no NACL association gets its VPC's default NACL, as in AWS.
 */
import { compileNacl, compileSecurityGroup } from '../security/compile';
import type { BuildContext } from './build-context';
import { at } from './errors';

export function indexSecurityGroupsAndNacls(ctx: BuildContext): void {
  (ctx.s.SecurityGroups ?? []).forEach((sg, i) => {
    const id = ctx.requireId('SecurityGroups', i, sg.GroupId, 'GroupId');
    ctx.m.securityGroups.set(
      id,
      at('SecurityGroups', i, id, () =>
        compileSecurityGroup(sg, (plId, field) => ctx.prefixList('SecurityGroups', i, id, plId, field)),
      ),
    );
  });
  const defaults = new Map<string, ReturnType<typeof compileNacl>>();
  (ctx.s.NetworkAcls ?? []).forEach((acl, i) => {
    const id = ctx.requireId('NetworkAcls', i, acl.NetworkAclId, 'NetworkAclId');
    const vpc = ctx.vpc('NetworkAcls', i, id, acl.VpcId);
    const info = at('NetworkAcls', i, id, () => compileNacl(acl));
    if (acl.IsDefault) defaults.set(vpc.id, info);
    for (const [j, a] of (acl.Associations ?? []).entries()) {
      const sub = ctx.subnet('NetworkAcls', i, id, a.SubnetId, `Associations[${j}].SubnetId`);
      sub.nacl = info;
    }
  });
  for (const sub of ctx.m.subnets.values()) if (!sub.nacl) sub.nacl = defaults.get(sub.vpcId);
}
