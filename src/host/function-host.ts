import { randomBytes } from "node:crypto";
import { TaskHubClient } from "../engine/client";
import { DurableWorker } from "../engine/worker";
import { AzureStorageTaskHub, readAzureStorageSettings } from "../providers/azure-storage";
import { MemoryTaskHub } from "../providers/memory";
import type { TaskHub } from "../providers/task-hub";
import { AppInvoker } from "./app-invoker";
import { applyEnvironment, readAppConfig, type AppConfig, type AppEnvironment } from "./config";
import { loadFunctionApp, type FunctionApp } from "./functions-worker";
import { createDiagnosticsHandler } from "./diagnostics/diagnostics-route";
import { createHostStatusHandler } from "./diagnostics/host-status-route";
import { StorageOperationCounter } from "./diagnostics/storage-operations";
import { HostServer } from "./http/host-server";
import {
  developmentStorageSetting,
  ensureLocalStorage,
  localStorageConnectionString,
  localStoragePlace,
} from "./local-storage";
import { createHttpFunctionsHandler, durableClientInputs } from "./http/http-functions";
import type { HttpRouter } from "./http/http-router";
import { createManagementApi, durableClientBindingPayload } from "./management-api";
import { hostWorkerOptions, openConfiguredTaskHub, type HostWorkerOptions } from "./task-hub-connection";
import { parseTimerSchedule } from "./timer/timer-schedule";
import { TimerScheduler, type ScheduledTimer } from "./timer/timer-scheduler";

export interface FunctionHostOptions {
  appDir: string;
  /** Overrides local.settings.json `Host.LocalHttpPort` (default 7071); 0 picks a free port. */
  port?: number;
  /** The interface to listen on; default 127.0.0.1. Anything else makes keys required. */
  hostname?: string;
  /** Run on the in-memory task hub instead of Azure Storage. */
  inMemoryStorage?: boolean;
  verbose?: boolean;
  /** Where the host's lines go; default console.log. */
  log?: (line: string) => void;
  /** The environment the app's settings merge into; default process.env, which they are applied to. */
  env?: AppEnvironment;
}

/** The connection name the management URLs carry, as the extension names Azure Storage. */
const CONNECTION_NAME = "Storage";

/**
 * `durable start`: runs a Functions app from its folder as Core Tools does, with the durable
 * extension's part played by our engine: HTTP and timer triggers, the management API, the
 * task hub and the worker that runs orchestrations, activities and entities.
 */
export class FunctionHost {
  private constructor(
    readonly config: AppConfig,
    readonly app: FunctionApp,
    readonly hub: TaskHub,
    readonly client: TaskHubClient,
    readonly url: string,
    readonly router: HttpRouter,
    private readonly parts: {
      worker: DurableWorker;
      server: HostServer;
      timers: TimerScheduler;
      counter: StorageOperationCounter | undefined;
    },
  ) {}

  static async start(options: FunctionHostOptions): Promise<FunctionHost> {
    const log = options.log ?? ((line: string) => console.log(line));
    const env = options.env ?? process.env;
    const config = readAppConfig(options.appDir, env);
    for (const note of config.notes) log(note);
    const developmentSetting = options.inMemoryStorage
      ? undefined
      : developmentStorageSetting(config.hostJson.document, config.env);
    if (developmentSetting !== undefined) {
      // The storage is the user's, not the app's: its place comes from the process environment.
      const place = localStoragePlace(env);
      await ensureLocalStorage(place, log);
      const connection = localStorageConnectionString(place.ports);
      if (connection !== undefined) config.env[developmentSetting] = connection;
    }
    // The app reads its settings from process.env, as it would in a Functions worker.
    applyEnvironment(config.env, process.env);

    let hub: TaskHub;
    let workerOptions: HostWorkerOptions;
    if (options.inMemoryStorage) {
      const settings = readAzureStorageSettings(config.hostJson.document, config.env);
      hub = new MemoryTaskHub({ name: settings.hubName });
      workerOptions = hostWorkerOptions(settings);
    } else {
      const configured = await openConfiguredTaskHub(config.hostJson.document, config.env);
      hub = configured.hub;
      workerOptions = configured.workerOptions;
    }

    const app = await loadFunctionApp(config.appDir, {
      logger: (level, functionName, message, category) => {
        if (category === "system" && !options.verbose) return;
        log(functionName ? `[${level}] ${functionName}: ${message}` : `[${level}] ${message}`);
      },
    });
    const invoker = new AppInvoker(app);
    const worker = new DurableWorker(hub, invoker, {
      ...workerOptions,
      onError: (error, context) => log(`durable worker: ${context}: ${describe(error)}`),
    });
    const client = new TaskHubClient(hub);

    const hostname = options.hostname ?? "127.0.0.1";
    const loopbackOnly = hostname === "127.0.0.1" || hostname === "localhost" || hostname === "::1";
    // Core Tools asks for no keys locally; a host others can reach does.
    const key = loopbackOnly ? undefined : (env.DURABLE_HOST_KEY ?? randomBytes(24).toString("base64url"));
    let port = options.port ?? config.port;
    const payload = (origin: string) =>
      durableClientBindingPayload({
        origin,
        rpcOrigin: `http://127.0.0.1:${port}`,
        taskHubName: hub.name,
        connectionName: CONNECTION_NAME,
        code: key,
      });
    const management = createManagementApi({
      client,
      taskHubName: hub.name,
      connectionName: CONNECTION_NAME,
      hasOrchestrator: (name) => invoker.hasFunction("orchestration", name),
      systemKey: key,
    });
    const httpFunctions = createHttpFunctionsHandler({
      app,
      routePrefix: config.routePrefix,
      durableClientPayload: payload,
      key,
      onError: (error, functionName) => log(`[error] ${functionName}: ${describe(error)}`),
    });
    // Benchmarks read the host's own figures; nobody else needs the route or the counting.
    const diagnostics = /^(1|true)$/i.test(env.DURABLE_TS_DIAGNOSTICS ?? "");
    const counter =
      diagnostics && hub instanceof AzureStorageTaskHub
        ? new StorageOperationCounter(hub.storageEndpoints())
        : undefined;
    counter?.start();
    const hostStatus = createHostStatusHandler({
      taskHubName: hub.name,
      workerRunning: () => worker.running,
      progress: () => worker.progressSnapshot(),
      systemKey: key,
    });
    const handlers = [hostStatus, management.handle, httpFunctions.handle];
    if (diagnostics) handlers.unshift(createDiagnosticsHandler(counter));
    const server = new HostServer(handlers, config.cors, (error) => log(`[error] http: ${describe(error)}`));
    const timers = new TimerScheduler(timerFunctions(app, env), async (functionName, timer) => {
      const fn = app.functions.find((f) => f.name === functionName);
      if (!fn) return;
      try {
        await app.invoke(functionName, {
          trigger: { kind: "timer", timer },
          inputs: durableClientInputs(fn, () => payload(`http://localhost:${port}`)),
        });
      } catch (error) {
        log(`[error] ${functionName}: ${describe(error)}`);
      }
    });

    try {
      await worker.start();
      port = await server.listen(port, hostname);
    } catch (error) {
      await worker.stop().catch(() => undefined);
      counter?.stop();
      throw listenError(error, port);
    }
    timers.start();
    const url = `http://${loopbackOnly ? "localhost" : hostname}:${port}`;
    const host = new FunctionHost(config, app, hub, client, url, httpFunctions.router, {
      worker,
      server,
      timers,
      counter,
    });
    log(host.describeFunctions());
    if (key) log(`Keys are required from other machines: code=${key}`);
    return host;
  }

  /** The function list with URLs, as `func start` prints it. */
  describeFunctions(): string {
    const lines = ["", "Functions:", ""];
    for (const fn of this.app.functions) {
      if (fn.trigger.type === "httpTrigger") {
        const methods = Array.isArray(fn.trigger.methods)
          ? fn.trigger.methods.join(",")
          : "GET,POST,PUT,DELETE";
        const route = typeof fn.trigger.route === "string" ? fn.trigger.route : undefined;
        lines.push(
          `\t${fn.name}: [${methods}] ${this.url}${this.router.pathOf({ functionName: fn.name, route })}`,
        );
      } else {
        lines.push(`\t${fn.name}: ${fn.trigger.type}`);
      }
      lines.push("");
    }
    lines.push(`Task hub: ${this.hub.name}. Management API: ${this.url}/runtime/webhooks/durabletask`);
    return lines.join("\n");
  }

  /**
   * Graceful: stops taking requests and timers, lets work in flight finish (or gives its
   * messages back), releases the partition leases and runs the app's appTerminate hooks. The
   * local storage keeps running: it belongs to no one host (see local-storage/).
   */
  async stop(): Promise<void> {
    const { worker, server, timers, counter } = this.parts;
    await server.close();
    await timers.stop();
    await worker.stop();
    await this.app.runAppTerminateHooks();
    counter?.stop();
  }
}

function timerFunctions(app: FunctionApp, env: AppEnvironment): ScheduledTimer[] {
  return app.functions
    .filter((fn) => fn.trigger.type === "timerTrigger")
    .map((fn) => ({
      functionName: fn.name,
      schedule: parseTimerSchedule(
        resolveSetting(String(fn.trigger.schedule ?? ""), env),
        env.WEBSITE_TIME_ZONE,
      ),
      runOnStartup: fn.trigger.runOnStartup === true,
    }));
}

/** `%Name%` in a binding property names an app setting, as in the Functions host. */
function resolveSetting(value: string, env: AppEnvironment): string {
  return value.replace(/%([^%]+)%/g, (whole, name: string) => env[name] ?? whole);
}

function listenError(error: unknown, port: number): Error {
  if ((error as { code?: string }).code === "EADDRINUSE") {
    return new Error(`Port ${port} is in use. Stop what uses it, or start with --port <another port>.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
