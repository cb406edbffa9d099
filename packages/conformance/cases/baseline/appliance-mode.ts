import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'baseline/appliance-mode',
  behaviour:
    'Without appliance mode on the inspection attachment, the Transit Gateway picks the AZ of each direction of a ' +
    'flow independently, so the reply of a cross-AZ flow can reach a different firewall endpoint than the request.',
  naive:
    'Every route is correct and stays in its AZ, so both directions cross the same endpoint; ' +
    'AWS says the TGW keeps traffic in the AZ it arrived in only with appliance mode on.',
  sources: [
    {
      title: 'Amazon VPC Transit Gateways, "Stateful appliances and appliance mode"',
      url: 'https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-appliance-scenario.html',
    },
  ],
  snapshot: () => buildHubSpokeSnapshot({ applianceMode: false }),
  checks: { 'symmetric-return': 'fail' },
};
export default c;
