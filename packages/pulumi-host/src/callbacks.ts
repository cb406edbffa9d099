/**
 * Calls back into the program: transforms and resource hooks are functions of the program, which
 * serves them on its own gRPC `Callbacks` service and registers them by (target address, token).
 * The engine invokes them with a serialized request message and decodes the response.
 */
import * as grpc from '@grpc/grpc-js';
import { CallbacksClient } from '@pulumi/pulumi/proto/callback_grpc_pb';
import { CallbackInvokeRequest, type Callback } from '@pulumi/pulumi/proto/callback_pb';

interface Serializable {
  serializeBinary(): Uint8Array;
}

export class CallbackClients {
  private readonly clients = new Map<string, CallbacksClient>();

  async invoke<T>(callback: Callback, request: Serializable, decode: (bytes: Uint8Array) => T): Promise<T> {
    const target = callback.getTarget();
    let client = this.clients.get(target);
    if (!client) {
      client = new CallbacksClient(target, grpc.credentials.createInsecure());
      this.clients.set(target, client);
    }
    const req = new CallbackInvokeRequest();
    req.setToken(callback.getToken());
    req.setRequest(request.serializeBinary());
    const response = await new Promise<Uint8Array>((resolve, reject) =>
      client.invoke(req, (err, res) => (err ? reject(err) : resolve(res.getResponse_asU8()))),
    );
    return decode(response);
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
