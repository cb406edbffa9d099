// Pulumi program of the spoke-a spoke. Every spoke runs the same program with its own config.
import { spokeProgram } from '@hubspoke/network';

export = spokeProgram;
