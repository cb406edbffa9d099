// Pulumi program of the tgw project: the Transit Gateway hub. Logic lives in @hubspoke/network.
import { tgwProgram } from '@hubspoke/network';

export = tgwProgram;
