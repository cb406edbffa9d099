// Pulumi program of the spoke-b spoke. Every spoke runs the same program with its own config.
import { spokeProgram } from '@hubspoke/network';

export = spokeProgram;
