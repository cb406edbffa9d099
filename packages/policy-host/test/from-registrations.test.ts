/** What the engine would hand a policy pack, built from what the SDK registered. */
import type { ResourceRegistration } from '@hubspoke/mock-cloud';
import { unknownValue } from '@pulumi/pulumi/runtime/rpc';
import { durationSeconds, stackFromRegistrations } from '../src/from-registrations';

function registration(
  r: Partial<ResourceRegistration> & Pick<ResourceRegistration, 'urn' | 'type' | 'name'>,
): ResourceRegistration {
  return {
    project: 'hub',
    stack: 'dev',
    custom: true,
    remote: false,
    read: false,
    providers: {},
    dependencies: [],
    propertyDependencies: {},
    ignoreChanges: [],
    additionalSecretOutputs: [],
    aliasUrns: [],
    inputs: {},
    outputs: {},
    ...r,
  };
}

const provider = registration({
  urn: 'urn:pulumi:dev::hub::pulumi:providers:aws::aws',
  type: 'pulumi:providers:aws',
  name: 'aws',
  id: 'p-1',
  inputs: { region: 'us-east-1' },
});
const outer = registration({
  urn: 'urn:pulumi:dev::hub::x:a:Outer::o',
  type: 'x:a:Outer',
  name: 'o',
  custom: false,
});
// The mock monitor keeps only the parent's own type; the engine keeps the whole chain.
const inner = registration({
  urn: 'urn:pulumi:dev::hub::x:a:Outer$x:a:Inner::i',
  type: 'x:a:Inner',
  name: 'i',
  custom: false,
  parent: outer.urn,
});
const vpc = registration({
  urn: 'urn:pulumi:dev::hub::x:a:Inner$aws:ec2/vpc:Vpc::v',
  type: 'aws:ec2/vpc:Vpc',
  name: 'v',
  id: 'vpc-1',
  parent: inner.urn,
  provider: `${provider.urn}::p-1`,
  inputs: { cidrBlock: '10.0.0.0/16', tags: { Name: 'v' } },
  outputs: { cidrBlock: '10.0.0.0/16', tagsAll: { Name: 'v', 'hubspoke:env': 'dev' } },
  customTimeouts: { create: '1h30m', delete: '90s' },
});
const subnet = registration({
  urn: 'urn:pulumi:dev::hub::aws:ec2/subnet:Subnet::s',
  type: 'aws:ec2/subnet:Subnet',
  name: 's',
  id: 'subnet-1',
  propertyDependencies: { vpcId: [vpc.urn] },
  dependencies: [vpc.urn],
});
const ref = registration({
  urn: 'urn:pulumi:dev::hub::pulumi:pulumi:StackReference::organization/tgw/dev',
  type: 'pulumi:pulumi:StackReference',
  name: 'organization/tgw/dev',
  read: true,
  outputs: { name: 'organization/tgw/dev', outputs: { a: 1 } },
});

describe('stackFromRegistrations', () => {
  const stack = stackFromRegistrations([provider, outer, inner, vpc, subnet, ref], {
    organization: 'organization',
    outputs: { hub: { vpcId: 'vpc-1' } },
    config: { hub: { 'aws:region': 'us-east-1' } },
  });
  const byName = new Map(stack.resources.map((r) => [r.name, r]));

  it('adds the root stack resource first, parent of the top-level resources', () => {
    const root = stack.resources[0]!;
    expect(root).toMatchObject({
      urn: 'urn:pulumi:dev::hub::pulumi:pulumi:Stack::hub-dev',
      type: 'pulumi:pulumi:Stack',
      outputs: { vpcId: 'vpc-1' },
    });
    expect(byName.get('o')!.parent).toBe(root.urn);
    expect(byName.get('s')!.parent).toBe(root.urn);
    expect(stack).toMatchObject({
      organization: 'organization',
      project: 'hub',
      stack: 'dev',
      config: { 'aws:region': 'us-east-1' },
    });
  });

  it('gives URNs the whole parent type chain and rewrites every reference', () => {
    const realVpc = 'urn:pulumi:dev::hub::x:a:Outer$x:a:Inner$aws:ec2/vpc:Vpc::v';
    expect(byName.get('v')!.urn).toBe(realVpc);
    expect(byName.get('v')!.parent).toBe('urn:pulumi:dev::hub::x:a:Outer$x:a:Inner::i');
    expect(byName.get('s')!.propertyDependencies).toEqual({ vpcId: [realVpc] });
    expect(byName.get('s')!.dependencies).toEqual([realVpc]);
  });

  it('emulates the AWS provider: tagsAll among the checked inputs, id among the outputs', () => {
    expect(byName.get('v')!.inputs).toEqual({
      cidrBlock: '10.0.0.0/16',
      tags: { Name: 'v' },
      tagsAll: { Name: 'v', 'hubspoke:env': 'dev' },
    });
    expect(byName.get('v')!.outputs.id).toBe('vpc-1');
  });

  it('resolves the provider reference and converts timeouts to seconds', () => {
    expect(byName.get('v')!.provider).toEqual({
      urn: provider.urn,
      type: 'pulumi:providers:aws',
      name: 'aws',
      inputs: { region: 'us-east-1' },
    });
    expect(byName.get('v')!.options.customTimeouts).toEqual({ create: 5400, update: 0, delete: 90 });
  });

  it('keeps a read resource in the stack, marked so it is not analyzed one by one', () => {
    expect(byName.get('organization/tgw/dev')).toMatchObject({ read: true, outputs: { outputs: { a: 1 } } });
  });
});

describe('durationSeconds', () => {
  it('reads Go durations and refuses anything else', () => {
    expect(durationSeconds('2h')).toBe(7200);
    expect(durationSeconds('1m30s')).toBe(90);
    expect(durationSeconds('250ms')).toBe(0.25);
    expect(durationSeconds(undefined)).toBe(0);
    expect(() => durationSeconds('10 minutes')).toThrow('not a duration: "10 minutes"');
  });
});

describe('a preview (nothing created yet)', () => {
  const taggedProvider = registration({
    ...provider,
    id: undefined,
    inputs: {
      region: 'us-east-1',
      defaultTags: JSON.stringify({ tags: { 'hubspoke:env': 'dev', team: 'net' } }),
    },
  });
  const toCreate = (r: ResourceRegistration, inputs: Record<string, unknown>) =>
    registration({
      ...r,
      id: undefined,
      inputs,
      outputs: inputs,
      provider: `${provider.urn}::${unknownValue}`,
    });
  const reference = registration({
    urn: 'urn:pulumi:dev::hub::pulumi:pulumi:StackReference::tgw',
    type: 'pulumi:pulumi:StackReference',
    name: 'tgw',
    read: true,
    id: 'organization/tgw/dev',
    outputs: { outputs: { id: 'tgw-1' } },
  });
  const stack = stackFromRegistrations(
    [
      taggedProvider,
      toCreate(vpc, { cidrBlock: '10.0.0.0/16', tags: { Name: 'v', team: 'spoke' } }),
      toCreate(subnet, { vpcId: unknownValue, tags: unknownValue }),
      reference,
    ],
    { organization: 'organization', preview: true, taggableTypes: new Set([vpc.type, subnet.type]) },
  );
  const byName = new Map(stack.resources.map((r) => [r.name, r]));

  it('is configured as a dry run', () => {
    expect(stack.dryRun).toBe(true);
  });

  it('gives the AWS resources being created an unknown id, and leaves reads as they are', () => {
    expect(byName.get('v')!.outputs.id).toBe(unknownValue);
    expect(byName.get('s')!.outputs.id).toBe(unknownValue);
    expect(byName.get('tgw')!.outputs).toEqual({ outputs: { id: 'tgw-1' } });
  });

  it("checks tagsAll as the provider does: the resource's tags over the provider's default tags, unknown if they are", () => {
    expect(byName.get('v')!.inputs.tagsAll).toEqual({ 'hubspoke:env': 'dev', team: 'spoke', Name: 'v' });
    expect(byName.get('s')!.inputs.tagsAll).toBe(unknownValue);
  });

  it("takes the default provider's tags from the stack config, and tags only the taggable types", () => {
    const [, own] = stackFromRegistrations(
      [
        registration({
          ...vpc,
          id: undefined,
          provider: undefined,
          outputs: {},
          inputs: { tags: { Name: 'v' } },
        }),
      ],
      {
        organization: 'organization',
        preview: true,
        config: { hub: { 'aws:defaultTags': JSON.stringify({ tags: { 'hubspoke:stack': 'hub' } }) } },
        taggableTypes: new Set([vpc.type]),
      },
    ).resources;
    expect(own!.inputs.tagsAll).toEqual({ 'hubspoke:stack': 'hub', Name: 'v' });
    const [, untagged] = stackFromRegistrations(
      [
        registration({
          ...vpc,
          id: undefined,
          provider: undefined,
          outputs: {},
          inputs: { tags: { Name: 'v' } },
        }),
      ],
      { organization: 'organization', preview: true, taggableTypes: new Set() },
    ).resources;
    expect(untagged!.inputs).not.toHaveProperty('tagsAll');
  });
});
