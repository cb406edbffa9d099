import { describeInspectionStack } from '@hubspoke/network/testing/stack-suites';

describeInspectionStack(__dirname);
