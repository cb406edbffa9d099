/**
 * The mock cloud records every registration as the SDK sent it to the monitor, so a policy pack can
 * be given what the engine would give it: URNs, parents, providers, dependencies, options and the
 * inputs in Pulumi's wire encoding; awsx children with what awsx would register.
 */
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import { MockCloud, type ResourceRegistration } from '../src';
import { run } from './helpers';

const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const SIG_KEY = '4dabf18193072939515e22adb298388d';

function find(cloud: MockCloud, type: string, name: string): ResourceRegistration {
  const r = cloud.registrations.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`no registration of ${type} ${name}`);
  return r;
}

describe('registrations', () => {
  it('records parent, provider, property dependencies, options and wire-encoded inputs', async () => {
    const cloud = new MockCloud();
    await run(cloud, 'net', () => {
      class Group extends pulumi.ComponentResource {
        constructor(name: string, opts: pulumi.ComponentResourceOptions) {
          super('hubspoke:test:Group', name, {}, opts);
          const vpc = new aws.ec2.Vpc(
            'vpc',
            { cidrBlock: '10.0.0.0/16', tags: { Name: 'vpc' } },
            { parent: this },
          );
          new aws.ec2.Subnet(
            'subnet',
            {
              vpcId: vpc.id,
              cidrBlock: '10.0.0.0/24',
              availabilityZone: 'us-east-1a',
              tags: { Owner: pulumi.secret('team-a') },
            },
            { parent: this, protect: true, deleteBeforeReplace: true, ignoreChanges: ['tags'] },
          );
          this.registerOutputs({ vpcId: vpc.id });
        }
      }
      const provider = new aws.Provider('aws', { region: 'us-east-1' });
      new Group('group', { providers: [provider] });
      return {};
    });

    const group = find(cloud, 'hubspoke:test:Group', 'group');
    const vpc = find(cloud, 'aws:ec2/vpc:Vpc', 'vpc');
    const subnet = find(cloud, 'aws:ec2/subnet:Subnet', 'subnet');
    const provider = find(cloud, 'pulumi:providers:aws', 'aws');

    expect(group).toMatchObject({ custom: false, remote: false, read: false, project: 'net', stack: 'dev' });
    expect(group.outputs).toEqual({ vpcId: vpc.id });
    expect(subnet.urn).toBe('urn:pulumi:dev::net::hubspoke:test:Group$aws:ec2/subnet:Subnet::subnet');
    expect(subnet.parent).toBe(group.urn);
    expect(subnet.provider).toBe(`${provider.urn}::${provider.id}`);
    expect(subnet.propertyDependencies.vpcId).toEqual([vpc.urn]);
    expect(subnet.dependencies).toContain(vpc.urn);
    expect(subnet).toMatchObject({ protect: true, deleteBeforeReplace: true, ignoreChanges: ['tags'] });
    // Secrets keep the SDK's encoding: the engine hands them to a policy pack as secrets.
    expect((subnet.inputs.tags as Record<string, unknown>).Owner).toEqual({
      [SIG_KEY]: SECRET_SIG,
      value: 'team-a',
    });
    expect(subnet.outputs.tagsAll).toBeDefined();
    expect(subnet.id).toMatch(/^subnet-/);
  });

  it('records a StackReference as a read, with the referenced outputs', async () => {
    const cloud = new MockCloud();
    cloud.setStackOutputs('tgw', 'dev', { spokeRouteTableId: 'tgw-rtb-1' });
    await run(cloud, 'spoke', () => {
      new pulumi.StackReference('organization/tgw/dev');
      return {};
    });
    const ref = find(cloud, 'pulumi:pulumi:StackReference', 'organization/tgw/dev');
    expect(ref.read).toBe(true);
    expect(ref.outputs).toMatchObject({
      name: 'organization/tgw/dev',
      outputs: { spokeRouteTableId: 'tgw-rtb-1' },
    });
  });

  it('records what awsx registers for its children, parented and provided as the engine would', async () => {
    const cloud = new MockCloud();
    await run(cloud, 'hub', () => {
      class Hub extends pulumi.ComponentResource {
        constructor(opts: pulumi.ComponentResourceOptions) {
          super('hubspoke:test:Hub', 'hub', {}, opts);
          new awsx.ec2.Vpc(
            'hub',
            {
              cidrBlock: '10.0.0.0/24',
              availabilityZoneNames: ['us-east-1a'],
              subnetStrategy: 'Exact',
              subnetSpecs: [
                { type: 'Public', name: 'public', cidrBlocks: ['10.0.0.0/25'] },
                { type: 'Private', name: 'private', cidrBlocks: ['10.0.0.128/25'] },
              ],
              natGateways: { strategy: 'OnePerAz' },
              tags: { Team: 'net' },
            },
            { parent: this },
          );
        }
      }
      const provider = new aws.Provider('aws', {
        region: 'us-east-1',
        defaultTags: { tags: { 'hubspoke:env': 'dev' } },
      });
      new Hub({ providers: [provider] });
      return {};
    });
    const component = find(cloud, 'awsx:ec2:Vpc', 'hub');
    const provider = find(cloud, 'pulumi:providers:aws', 'aws');
    const vpc = find(cloud, 'aws:ec2/vpc:Vpc', 'hub');
    const subnet = find(cloud, 'aws:ec2/subnet:Subnet', 'hub-public-1');
    const route = find(cloud, 'aws:ec2/route:Route', 'hub-private-1');
    const nat = find(cloud, 'aws:ec2/natGateway:NatGateway', 'hub-1');

    expect(component.remote).toBe(true);
    expect(vpc.parent).toBe(component.urn);
    expect(vpc.inputs).toEqual({ cidrBlock: '10.0.0.0/24', tags: { Name: 'hub', Team: 'net' } });
    expect(vpc.outputs.tagsAll).toEqual({ 'hubspoke:env': 'dev', Name: 'hub', Team: 'net' });
    // The engine merges the parent's providers into the remote component's (pulumi/pulumi#24125).
    expect(vpc.provider).toBe(`${provider.urn}::${provider.id}`);
    expect(subnet.parent).toBe(vpc.urn);
    expect(subnet.propertyDependencies.vpcId).toEqual([vpc.urn]);
    expect(subnet.inputs).toMatchObject({
      vpcId: vpc.id,
      mapPublicIpOnLaunch: true,
      cidrBlock: '10.0.0.0/25',
    });
    expect(route.inputs).toEqual({
      routeTableId: expect.stringMatching(/^rtb-/),
      natGatewayId: nat.id,
      destinationCidrBlock: '0.0.0.0/0',
    });
    expect(route.propertyDependencies.natGatewayId).toEqual([nat.urn]);
    // Every child the account holds is registered: besides them, the provider and the two components.
    const children = cloud.resources.filter((r) => r.parent === 'hub').length;
    expect(children).toBeGreaterThan(8);
    expect(cloud.registrations).toHaveLength(children + 3);
  });
});
