import {
  type CallOptions,
  type Client,
  credentials,
  Metadata,
  makeGenericClientConstructor,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { protos } from '../../src/server/index.js';

export interface CallControl {
  /** Relative to now. */
  readonly deadlineMs?: number;
  /** Aborting cancels the call. */
  readonly signal?: AbortSignal;
}

/** A service's unary methods as promises, typed from its definition (request in, decoded response out). */
export type PromiseClient<Definition> = {
  readonly [Method in keyof Definition]: Definition[Method] extends {
    requestSerialize: (value: infer Request) => Buffer;
    responseDeserialize: (bytes: Buffer) => infer Response;
  }
    ? (request: Request, control?: CallControl) => Promise<Response>
    : never;
} & { close(): void };

/** A real grpc-js client for one service; rejections are grpc-js ServiceErrors (code, details). */
export function promiseClient<Definition extends ServiceDefinition>(
  definition: Definition,
  address: string,
): PromiseClient<Definition> {
  const Constructor = makeGenericClientConstructor(definition, 'service');
  // No client-side size limits: tests check the server's.
  const client = new Constructor(address, credentials.createInsecure(), {
    'grpc.max_receive_message_length': -1,
    'grpc.max_send_message_length': -1,
  }) as Client & Record<string, (...args: unknown[]) => { cancel(): void }>;
  const methods: Record<string, unknown> = { close: () => client.close() };
  for (const name of Object.keys(definition)) {
    methods[name] = (request: unknown, control: CallControl = {}) =>
      new Promise((resolve, reject) => {
        const options: CallOptions =
          control.deadlineMs === undefined ? {} : { deadline: Date.now() + control.deadlineMs };
        const method = client[name];
        if (!method) throw new Error(`no method ${name}`);
        const pending = method.call(
          client,
          request,
          new Metadata(),
          options,
          (error: ServiceError | null, response: unknown) => (error ? reject(error) : resolve(response)),
        );
        control.signal?.addEventListener('abort', () => pending.cancel(), { once: true });
      });
  }
  return methods as PromiseClient<Definition>;
}

export interface Clients {
  readonly models: PromiseClient<
    ReturnType<typeof protos>['grpc']['hetsched']['v1']['ModelService']['service']
  >;
  readonly inference: PromiseClient<
    ReturnType<typeof protos>['grpc']['hetsched']['v1']['InferenceService']['service']
  >;
  readonly plans: PromiseClient<
    ReturnType<typeof protos>['grpc']['hetsched']['v1']['PlanService']['service']
  >;
  close(): void;
}

/** Clients for both hetsched services at `address`. */
export function connect(address: string): Clients {
  const { grpc } = protos();
  const models = promiseClient(grpc.hetsched.v1.ModelService.service, address);
  const inference = promiseClient(grpc.hetsched.v1.InferenceService.service, address);
  const plans = promiseClient(grpc.hetsched.v1.PlanService.service, address);
  return {
    models,
    inference,
    plans,
    close: () => {
      models.close();
      inference.close();
      plans.close();
    },
  };
}

/** Awaits a call expected to fail and returns its ServiceError; throws if it succeeded. */
export async function callError(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
