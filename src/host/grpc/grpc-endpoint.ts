import { Server, ServerCredentials, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { TaskHubClient } from "../../engine/client";
import type { FunctionInvoker } from "../../engine/invoker";
import { DurableWorker, type WorkerOptions } from "../../engine/worker";
import { TaskHubSidecarServiceService } from "../../protocol/grpc/wire";
import type { TaskHub } from "../../providers/task-hub";
import { clientRpcs } from "./client-rpcs";
import { WorkItemDispatcher } from "./work-item-dispatcher";
import { workerRpcs } from "./worker-rpcs";

/** The port the Durable Task SDKs connect to by default. */
export const DEFAULT_GRPC_PORT = 4001;

export interface GrpcEndpointOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Runs the functions of a Functions app beside the gRPC workers; none by default. */
  invoker?: FunctionInvoker;
  worker?: Omit<WorkerOptions, "remote">;
}

/**
 * Serves the Durable Task protocol (TaskHubSidecarService) on loopback over one task hub: the
 * client rpcs go to our TaskHubClient, and the engine's worker hands orchestrations and
 * activities it has no function for to the SDK workers connected to GetWorkItems.
 */
export class GrpcEndpoint {
  private readonly server = new Server();
  private readonly dispatcher = new WorkItemDispatcher();
  private readonly worker: DurableWorker;
  readonly client: TaskHubClient;
  private boundPort: number | undefined;

  constructor(
    hub: TaskHub,
    private readonly options: GrpcEndpointOptions = {},
  ) {
    this.client = new TaskHubClient(hub);
    this.worker = new DurableWorker(hub, options.invoker ?? noFunctions, {
      ...options.worker,
      remote: this.dispatcher,
    });
    // Rpcs left out answer UNIMPLEMENTED.
    const implementation: UntypedServiceImplementation = {
      ...clientRpcs(this.client),
      ...workerRpcs(this.dispatcher),
    };
    this.server.addService(TaskHubSidecarServiceService, implementation);
  }

  /** The port listened on, once started. */
  get port(): number {
    if (this.boundPort === undefined) throw new Error("The gRPC endpoint has not started.");
    return this.boundPort;
  }

  async start(): Promise<void> {
    const port = this.options.port ?? DEFAULT_GRPC_PORT;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    await this.worker.start();
  }

  /** Gives work items out now back to the hub, stops the worker, then the server. */
  async stop(): Promise<void> {
    this.dispatcher.close();
    await this.worker.stop();
    // Waits on instances (WaitForInstanceCompletion) end with UNAVAILABLE rather than holding the stop.
    this.server.forceShutdown();
  }
}

/** The invoker of an endpoint without a Functions app: every function is remote. */
const noFunctions: FunctionInvoker = {
  hasFunction: () => false,
  invokeOrchestrator: () => Promise.reject(new Error("No Functions app is loaded.")),
  invokeActivity: () => Promise.reject(new Error("No Functions app is loaded.")),
  invokeEntity: () => Promise.reject(new Error("No Functions app is loaded.")),
};
