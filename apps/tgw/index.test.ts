import { describeTgwStack } from '@hubspoke/network/testing/stack-suites';

describeTgwStack(__dirname);
