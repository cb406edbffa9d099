/**
 * AWS RAM: resource shares, the resources they share and the principals they share with. Only a
 * resource's owner shares it, and only its owner sees and changes the share. The mock cloud
 * shares transit gateways, the one resource type the programs share. AWS RAM User Guide,
 * "Sharing your AWS resources": https://docs.aws.amazon.com/ram/latest/userguide/working-with-sharing.html
 * and Amazon VPC Transit Gateways, "Transit gateway sharing considerations":
 * https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html
 */
import type { Account, ResourceShareState } from './account';
import { parsePrincipal } from './accounts';
import { fail } from './errors';
import {
  autoName,
  optBool,
  optString,
  reqString,
  tagsAll,
  type ResourceRequest,
  type ResourceResult,
} from './handler';
import { arn, shortHash, uuidFrom } from './ids';

/** A share of `caller`: another account's share does not exist for it. */
function ownShare(account: Account, shareArn: string, caller: string): ResourceShareState {
  return (
    account.ownedBy(caller, shareArn, account.resourceShares.get(shareArn)) ??
    fail(`UnknownResourceException: ResourceShare ${shareArn} could not be found.`)
  );
}

export function createResourceShare(account: Account, req: ResourceRequest): ResourceResult {
  const owner = req.accountId;
  const name = optString(req, 'name') ?? autoName(req, shortHash(req.seed));
  const shareArn = arn('ram', account.region, owner, `resource-share/${uuidFrom(req.seed)}`);
  // CreateResourceShare allows external principals unless told otherwise.
  const allowExternalPrincipals = optBool(req, 'allowExternalPrincipals') ?? true;
  account.own(shareArn, owner);
  account.resourceShares.set(shareArn, {
    arn: shareArn,
    name,
    ownerId: owner,
    allowExternalPrincipals,
    resources: new Set(),
    principals: new Map(),
  });
  return {
    id: shareArn,
    state: { ...req.inputs, name, arn: shareArn, allowExternalPrincipals, tagsAll: tagsAll(req) },
  };
}

export function createResourceAssociation(account: Account, req: ResourceRequest): ResourceResult {
  const caller = req.accountId;
  const share = ownShare(account, reqString(req, 'resourceShareArn'), caller);
  const resourceArn = reqString(req, 'resourceArn');
  if (!/^arn:aws[a-z-]*:ec2:[a-z0-9-]+:\d{12}:transit-gateway\/tgw-[0-9a-f]+$/.test(resourceArn)) {
    fail(`${req.type} '${req.name}': sharing ${resourceArn} is not emulated (transit gateways are)`);
  }
  // A resource of another account (or none) cannot be shared by the caller.
  if (!account.owns(caller, resourceArn)) {
    fail(`UnknownResourceException: The resource ${resourceArn} could not be found in account ${caller}.`);
  }
  if (share.resources.has(resourceArn)) {
    fail(`InvalidParameterException: ${resourceArn} is already associated with resource share ${share.name}`);
  }
  share.resources.add(resourceArn);
  return { id: `${share.arn},${resourceArn}`, state: { ...req.inputs } };
}

export function createPrincipalAssociation(account: Account, req: ResourceRequest): ResourceResult {
  const caller = req.accountId;
  const share = ownShare(account, reqString(req, 'resourceShareArn'), caller);
  const value = reqString(req, 'principal');
  const principal =
    parsePrincipal(value) ??
    fail(
      `InvalidParameterException: principal ${JSON.stringify(value)} is not an AWS account id, organization ARN or organizational unit ARN`,
    );
  if (share.principals.has(value)) {
    fail(`InvalidParameterException: ${value} is already associated with resource share ${share.name}`);
  }
  share.principals.set(value, principal);
  return { id: `${share.arn},${value}`, state: { ...req.inputs } };
}
