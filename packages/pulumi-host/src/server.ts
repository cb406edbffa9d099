/**
 * The local gRPC endpoint a program connects to (`--monitor` and `--engine`): one server on a
 * loopback port the kernel picks, serving the ResourceMonitor and Engine services.
 */
import * as grpc from '@grpc/grpc-js';
import { ResourceMonitorService, type IResourceMonitorServer } from '@pulumi/pulumi/proto/resource_grpc_pb';
import { EngineService, type IEngineServer } from '@pulumi/pulumi/proto/engine_grpc_pb';

/** As the SDK sets for its own servers and clients (`runtime/settings.js`): 400 MB messages. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface EngineEndpoint {
  /** `127.0.0.1:<port>` */
  address: string;
  port: number;
  /** Stops accepting calls and drops open connections. */
  close(): Promise<void>;
}

export async function serveEngine(
  monitor: IResourceMonitorServer,
  engine: IEngineServer,
): Promise<EngineEndpoint> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  server.addService(ResourceMonitorService, monitor);
  server.addService(EngineService, engine);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  let closed: Promise<void> | undefined;
  return {
    address: `127.0.0.1:${port}`,
    port,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        // The program is gone (or being stopped) when this runs: nothing is worth waiting for.
        server.forceShutdown();
        resolve();
      })),
  };
}
