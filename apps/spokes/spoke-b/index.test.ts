import { describeSpokeStack } from '@hubspoke/network/testing/stack-suites';

describeSpokeStack(__dirname);
