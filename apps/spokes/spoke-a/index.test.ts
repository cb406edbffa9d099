import { describeSpokeStack } from '@hubspoke/stack-testing';

describeSpokeStack(__dirname);
