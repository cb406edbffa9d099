/**
 * Pulumi type tokens the policies look at. Strings, not `@pulumi/aws` classes: importing the AWS SDK
 * would make the CLI's policy host type-check all of it at every start.
 */
export const T = {
  vpc: 'aws:ec2/vpc:Vpc',
  subnet: 'aws:ec2/subnet:Subnet',
  routeTable: 'aws:ec2/routeTable:RouteTable',
  defaultRouteTable: 'aws:ec2/defaultRouteTable:DefaultRouteTable',
  route: 'aws:ec2/route:Route',
  routeTableAssociation: 'aws:ec2/routeTableAssociation:RouteTableAssociation',
  internetGateway: 'aws:ec2/internetGateway:InternetGateway',
  internetGatewayAttachment: 'aws:ec2/internetGatewayAttachment:InternetGatewayAttachment',
  egressOnlyInternetGateway: 'aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway',
  natGateway: 'aws:ec2/natGateway:NatGateway',
  carrierGateway: 'aws:ec2/carrierGateway:CarrierGateway',
  eip: 'aws:ec2/eip:Eip',
  eipAssociation: 'aws:ec2/eipAssociation:EipAssociation',
  instance: 'aws:ec2/instance:Instance',
  spotInstanceRequest: 'aws:ec2/spotInstanceRequest:SpotInstanceRequest',
  launchTemplate: 'aws:ec2/launchTemplate:LaunchTemplate',
  securityGroup: 'aws:ec2/securityGroup:SecurityGroup',
  defaultSecurityGroup: 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup',
  securityGroupRule: 'aws:ec2/securityGroupRule:SecurityGroupRule',
  securityGroupIngressRule: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  vpcEndpoint: 'aws:ec2/vpcEndpoint:VpcEndpoint',
  vpcEndpointRouteTableAssociation:
    'aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation',
  vpcPeeringConnection: 'aws:ec2/vpcPeeringConnection:VpcPeeringConnection',
  vpcPeeringConnectionAccepter: 'aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter',
  flowLog: 'aws:ec2/flowLog:FlowLog',
  transitGateway: 'aws:ec2transitgateway/transitGateway:TransitGateway',
  tgwVpcAttachment: 'aws:ec2transitgateway/vpcAttachment:VpcAttachment',
  tgwVpcAttachmentAccepter: 'aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter',
  tgwRouteTableAssociation: 'aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation',
  tgwRouteTablePropagation: 'aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation',
  firewall: 'aws:networkfirewall/firewall:Firewall',
  firewallPolicy: 'aws:networkfirewall/firewallPolicy:FirewallPolicy',
  firewallLogging: 'aws:networkfirewall/loggingConfiguration:LoggingConfiguration',
  stackReference: 'pulumi:pulumi:StackReference',
} as const;

/**
 * AWS resource types of this repository that carry tags. The AWS provider adds `tagsAll` to the
 * checked inputs of every taggable resource, so `tagsAll` also marks one; this list makes a
 * missing `tagsAll` on these types a violation instead of "not taggable".
 */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set([
  T.vpc,
  T.subnet,
  T.routeTable,
  T.defaultRouteTable,
  T.internetGateway,
  T.egressOnlyInternetGateway,
  T.natGateway,
  T.carrierGateway,
  T.eip,
  T.instance,
  T.spotInstanceRequest,
  T.launchTemplate,
  T.securityGroup,
  T.defaultSecurityGroup,
  T.securityGroupIngressRule,
  T.vpcEndpoint,
  T.vpcPeeringConnection,
  T.vpcPeeringConnectionAccepter,
  T.flowLog,
  T.transitGateway,
  T.tgwVpcAttachment,
  T.tgwVpcAttachmentAccepter,
  'aws:ec2transitgateway/routeTable:RouteTable',
  T.firewall,
  T.firewallPolicy,
  'aws:networkfirewall/ruleGroup:RuleGroup',
  'aws:cloudwatch/logGroup:LogGroup',
  'aws:iam/role:Role',
  'aws:iam/instanceProfile:InstanceProfile',
]);
