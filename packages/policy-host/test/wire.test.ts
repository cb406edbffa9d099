/** Property values as the engine marshals them for an analyzer. */
import {
  specialOutputValueSig,
  specialResourceSig,
  specialSecretSig,
  specialSigKey,
  unknownValue,
} from '@pulumi/pulumi/runtime/rpc';
import { marshalProperties, marshalValue } from '../src/wire';

const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

describe('marshalProperties', () => {
  it('keeps secrets and unknowns, drops internal keys at every level', () => {
    expect(
      marshalProperties({
        tags: { Owner: secret('team-a'), __defaults: ['Owner'] },
        vpcId: unknownValue,
        __meta: '{"schema_version":"1"}',
        gone: undefined,
      }),
    ).toEqual({ tags: { Owner: secret('team-a') }, vpcId: unknownValue });
  });

  it('lowers a resource reference to its ID (custom) or URN (component)', () => {
    const ref = (id?: string) => ({
      [specialSigKey]: specialResourceSig,
      urn: 'urn:pulumi:dev::p::t::n',
      ...(id !== undefined ? { id } : {}),
    });
    expect(marshalValue(ref('vpc-1'))).toBe('vpc-1');
    expect(marshalValue(ref(''))).toBe('urn:pulumi:dev::p::t::n');
    expect(marshalValue(ref())).toBe('urn:pulumi:dev::p::t::n');
  });

  it('lowers an output value to its value, secret-wrapped if secret, or unknown', () => {
    const output = (extra: object) => ({
      [specialSigKey]: specialOutputValueSig,
      dependencies: [],
      ...extra,
    });
    expect(marshalValue(output({ value: 'x' }))).toBe('x');
    expect(marshalValue(output({ value: 'x', secret: true }))).toEqual(secret('x'));
    expect(marshalValue(output({}))).toBe(unknownValue);
  });

  it('refuses what has no wire form, naming where it is', () => {
    class Thing {}
    expect(() => marshalProperties({ a: { b: [1, new Thing()] } })).toThrow(
      'a.b[1]: a Thing is not a property value',
    );
    expect(() => marshalProperties({ f: () => 1 })).toThrow('f: a function is not a property value');
  });
});
