// The policy pack: `pulumi preview|up --policy-pack packages/policy` runs this file in the CLI's
// policy host, and `hubspoke verify` runs it in the same host (packages/policy-host). The policies
// live in src/; this file only serves them. docs/policy.md describes them and their config.
import * as path from 'path';
import { PolicyPack } from '@pulumi/policy';
import { loadPolicyConfig, PACK_DESCRIPTION, PACK_NAME, policies } from './src/pack';

new PolicyPack(
  PACK_NAME,
  { description: PACK_DESCRIPTION, enforcementLevel: 'mandatory', policies },
  loadPolicyConfig(path.join(__dirname, 'policy-config.json')),
);
