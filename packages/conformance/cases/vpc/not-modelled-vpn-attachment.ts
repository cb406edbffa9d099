import { reference } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/not-modelled-vpn-attachment',
  behaviour:
    'A Transit Gateway route to a Site-to-Site VPN attachment leads to a network outside the snapshot: the trace ' +
    'says UNKNOWN naming the attachment, and east-west expectations toward it cannot be decided.',
  naive:
    'The TGW has a route for the block, so the traffic is delivered (or, the model does not follow VPN attachments, ' +
    'so it is dropped); what the customer gateway does is not in the snapshot.',
  sources: [
    {
      title: 'Amazon VPC Transit Gateways, "Transit gateway VPN attachments"',
      url: 'https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpn-attachments.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    s.TransitGatewayAttachments!.push({
      TransitGatewayAttachmentId: 'tgw-attach-vpn',
      TransitGatewayId: 'tgw-hub',
      ResourceType: 'vpn',
      ResourceId: 'vpn-0datacenter',
      State: 'available',
      Association: { TransitGatewayRouteTableId: 'tgw-rtb-spoke', State: 'associated' },
    });
    s.TransitGatewayRoutes!['tgw-rtb-spoke']!.push({
      DestinationCidrBlock: '172.16.0.0/12',
      Type: 'static',
      State: 'active',
      TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-vpn', ResourceType: 'vpn' }],
    });
    return s;
  },
  traces: [
    {
      name: 'toward the data centre',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: '172.16.5.5', port: 443 },
        protocol: 'tcp',
      },
      verdict: 'UNKNOWN',
      traceIncludes: ['vpn attachments are not modelled'],
    },
  ],
};
export default c;
