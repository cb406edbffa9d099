import { reference } from '../../src/edits';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/tgw-attachment-not-available',
  behaviour:
    'A Transit Gateway attachment forwards only when available (modifying is fine); one pending acceptance ' +
    '(or pending, deleting, failed, rejected) carries nothing, whatever the route tables say.',
  naive:
    "The attachment is associated, propagated and the spoke's default route points at the TGW, so the spoke " +
    'egresses; AWS carries traffic over an attachment only once it is available.',
  sources: [
    {
      title: 'Amazon VPC Transit Gateways, "Transit gateway attachment lifecycle"',
      url: 'https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html#vpc-attachment-lifecycle',
    },
  ],
  snapshot: () => {
    const s = reference();
    for (const a of [...s.TransitGatewayVpcAttachments!, ...s.TransitGatewayAttachments!]) {
      if (a.TransitGatewayAttachmentId === 'tgw-attach-spoke-b') a.State = 'pendingAcceptance';
      if (a.TransitGatewayAttachmentId === 'tgw-attach-spoke-a') a.State = 'modifying';
    }
    return s;
  },
  checks: { 'allow:www.amazon.com:443': 'fail', 'inspected-egress': 'fail' },
  traces: [
    {
      name: 'spoke-b: pending acceptance',
      query: {
        source: { instanceId: 'i-spoke-b-probe' },
        destination: { ip: '192.0.2.10', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'www.amazon.com' },
      },
      verdict: 'BLOCKED',
      traceIncludes: [
        'tgw-attach-spoke-b is pendingAcceptance: a Transit Gateway attachment that is not available does not forward',
      ],
    },
    {
      name: 'spoke-a: modifying still forwards',
      query: tlsFromProbe(reference(), 'www.amazon.com'),
      verdict: 'ALLOWED',
    },
  ],
};
export default c;
