import { describeInspectionStack } from '@hubspoke/stack-testing';

describeInspectionStack(__dirname);
