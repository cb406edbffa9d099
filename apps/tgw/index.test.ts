import { describeTgwStack } from '@hubspoke/stack-testing';

describeTgwStack(__dirname);
