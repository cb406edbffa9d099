/**
 * The Engine service a program talks to besides the monitor: diagnostics (`Log`), the root stack
 * resource, and `RequirePulumiVersion`, answered as the CLI whose version equals the
 * `@pulumi/pulumi` in the lock file (the version the workflows pin the CLI to).
 */
import * as grpc from '@grpc/grpc-js';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import type { IEngineServer } from '@pulumi/pulumi/proto/engine_grpc_pb';
import {
  GetRootResourceResponse,
  LogSeverity,
  RequirePulumiVersionResponse,
  SetRootResourceResponse,
} from '@pulumi/pulumi/proto/engine_pb';
import { versionSatisfies } from './version-range';

export interface LogEntry {
  severity: 'debug' | 'info' | 'warning' | 'error';
  message: string;
  /** The resource the message is about, if any. */
  urn?: string;
}

const SEVERITY: Record<LogSeverity, LogEntry['severity']> = {
  [LogSeverity.DEBUG]: 'debug',
  [LogSeverity.INFO]: 'info',
  [LogSeverity.WARNING]: 'warning',
  [LogSeverity.ERROR]: 'error',
};

export class EngineService {
  readonly logs: LogEntry[] = [];
  rootUrn = '';

  constructor(private readonly cliVersion: string) {}

  service(): IEngineServer {
    return {
      log: (call, callback) => {
        const req = call.request;
        const severity = SEVERITY[req.getSeverity()] ?? 'info';
        // The SDK's debug stream is chatty and only for `-v` runs; keep what a user would see.
        if (severity !== 'debug')
          this.logs.push({
            severity,
            message: req.getMessage(),
            ...(req.getUrn() ? { urn: req.getUrn() } : {}),
          });
        callback(null, new Empty());
      },
      getRootResource: (_call, callback) =>
        callback(null, new GetRootResourceResponse().setUrn(this.rootUrn)),
      setRootResource: (call, callback) => {
        this.rootUrn = call.request.getUrn();
        callback(null, new SetRootResourceResponse());
      },
      requirePulumiVersion: (call, callback) => {
        const range = call.request.getPulumiVersionRange();
        let ok: boolean;
        try {
          ok = versionSatisfies(this.cliVersion, range);
        } catch (err) {
          callback({ code: grpc.status.INVALID_ARGUMENT, details: (err as Error).message });
          return;
        }
        if (ok) callback(null, new RequirePulumiVersionResponse());
        else
          callback({
            code: grpc.status.FAILED_PRECONDITION,
            details: `Pulumi CLI version ${this.cliVersion} does not satisfy the version range "${range}"`,
          });
      },
      startDebugging: (_call, callback) =>
        callback({
          code: grpc.status.UNIMPLEMENTED,
          details: 'the engine stand-in does not attach debuggers',
        }),
    };
  }
}
