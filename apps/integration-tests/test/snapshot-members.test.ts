/**
 * The snapshot's members are listed once, in netmodel's SNAPSHOT_MEMBER_SHAPES; the file validator
 * and the merge of several accounts' reads follow that list. Here the list gains a member the
 * code has never heard of, and both handle it as they handle the others.
 */
import type * as netmodel from '@hubspoke/netmodel';
import { mergeSnapshots } from '@hubspoke/harness/src/live/account-snapshot';
import { validateSnapshot } from '../src/snapshot-file';

jest.mock('@hubspoke/netmodel', () => {
  const actual = jest.requireActual<typeof netmodel>('@hubspoke/netmodel');
  return {
    ...actual,
    SNAPSHOT_MEMBER_SHAPES: {
      ...actual.SNAPSHOT_MEMBER_SHAPES,
      CarrierGateways: { kind: 'list', id: ['CarrierGatewayId'] },
      LocalGatewayRoutes: { kind: 'keyed', keyedBy: 'local gateway route table id' },
    },
  };
});

const A = '222222222222';
const B = '333333333333';

describe('a member added to SNAPSHOT_MEMBER_SHAPES', () => {
  it('is validated: accepted in a file, its elements must carry its id field', () => {
    const ok = { CarrierGateways: [{ CarrierGatewayId: 'cagw-1', VpcId: 'vpc-1' }] };
    expect(validateSnapshot(ok, 'net.json')).toBe(ok);
    expect(() => validateSnapshot({ CarrierGateways: [{ VpcId: 'vpc-1' }] }, 'net.json')).toThrow(
      'snapshot net.json: CarrierGateways[0].CarrierGatewayId: missing',
    );
    expect(() => validateSnapshot({ CarrierGateways: { CarrierGatewayId: 'cagw-1' } }, 'net.json')).toThrow(
      'CarrierGateways: expected an array',
    );
    expect(() => validateSnapshot({ LocalGatewayRoutes: [] }, 'net.json')).toThrow(
      'LocalGatewayRoutes: expected an object keyed by local gateway route table id',
    );
    // A name outside the list is still refused.
    expect(() => validateSnapshot({ CarrierGateway: [] }, 'net.json')).toThrow(
      'CarrierGateway: unknown member',
    );
  });

  it('is merged: an element two accounts describe is kept once, as the first account read it', () => {
    const merged = mergeSnapshots([
      { CarrierGateways: [{ CarrierGatewayId: 'cagw-1', OwnerId: A }] },
      {
        CarrierGateways: [
          { CarrierGatewayId: 'cagw-1', OwnerId: B },
          { CarrierGatewayId: 'cagw-2', OwnerId: B },
        ],
        LocalGatewayRoutes: { 'lgw-rtb-1': [{ DestinationCidrBlock: '10.0.0.0/16' }] },
      },
    ] as unknown as netmodel.NetworkSnapshot[]); // the type does not know the new members
    expect(merged).toEqual({
      CarrierGateways: [
        { CarrierGatewayId: 'cagw-1', OwnerId: A },
        { CarrierGatewayId: 'cagw-2', OwnerId: B },
      ],
      LocalGatewayRoutes: { 'lgw-rtb-1': [{ DestinationCidrBlock: '10.0.0.0/16' }] },
    });
  });
});
