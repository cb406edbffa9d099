// Pulumi program of the inspection project. Rules files in config are relative to this directory.
import { inspectionProgram } from '@hubspoke/network';

export = () => inspectionProgram(__dirname);
