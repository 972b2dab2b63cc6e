/** Which program answers on the storage ports: nothing, an Azure Storage emulator, or another. */
import { request } from "node:http";
import type { StoragePorts } from "./local-storage-place";

export type Service = keyof StoragePorts;

export const SERVICES: readonly Service[] = ["blob", "queue", "table"];
export const SERVICE_NAMES: Record<Service, string> = { blob: "Blob", queue: "Queue", table: "Table" };
export const LOOPBACK = "127.0.0.1";

// Long enough for an Azurite busy with a heavy load to answer; only a silent port pays it.
const PROBE_TIMEOUT_MS = 10_000;

export type PortState = { kind: "free" } | { kind: "emulator" } | { kind: "other"; what: string };

export interface PortsSurvey {
  states: Record<Service, PortState>;
  /** Services an emulator answers for. */
  running: Service[];
  /** Services nothing listens for. */
  free: Service[];
  taken: Array<{ service: Service; what: string }>;
}

/** Probes the three ports at once. */
export async function surveyPorts(ports: StoragePorts): Promise<PortsSurvey> {
  const found = await Promise.all(SERVICES.map((service) => probePort(ports[service], service)));
  const states = { blob: found[0], queue: found[1], table: found[2] };
  return {
    states,
    running: SERVICES.filter((service) => states[service].kind === "emulator"),
    free: SERVICES.filter((service) => states[service].kind === "free"),
    taken: SERVICES.flatMap((service) => {
      const state = states[service];
      return state.kind === "other" ? [{ service, what: state.what }] : [];
    }),
  };
}

/**
 * Asks the port for the development account's service properties. An Azure Storage emulator
 * answers, even without credentials, with a `Server` header naming itself and the service:
 * `Azurite-Blob/3.35.0`, or `Windows-Azure-Blob/1.0` from the older Storage Emulator.
 */
export function probePort(port: number, service: Service): Promise<PortState> {
  return new Promise((resolve) => {
    const probe = request(
      {
        host: LOOPBACK,
        port,
        path: "/devstoreaccount1?restype=service&comp=properties",
        agent: false,
        timeout: PROBE_TIMEOUT_MS,
      },
      (response) => {
        response.destroy();
        const server = response.headers.server;
        resolve(classifyServer(Array.isArray(server) ? server[0] : server, service));
      },
    );
    probe.once("timeout", () => {
      resolve({ kind: "other", what: "it accepts connections but does not answer HTTP" });
      probe.destroy();
    });
    probe.once("error", (error: NodeJS.ErrnoException) => {
      resolve(
        error.code === "ECONNREFUSED"
          ? { kind: "free" }
          : { kind: "other", what: `it does not answer HTTP (${error.code ?? error.message})` },
      );
    });
    probe.end();
  });
}

function classifyServer(server: string | undefined, service: Service): PortState {
  const emulator = /^(?:Azurite|Windows-Azure)-(\w+)/i.exec(server ?? "");
  if (emulator?.[1].toLowerCase() === service) return { kind: "emulator" };
  if (emulator)
    return {
      kind: "other",
      what: `it is the emulator's ${emulator[1]} service, not ${SERVICE_NAMES[service]}`,
    };
  return {
    kind: "other",
    what: server ? `it answers HTTP as "${server}"` : "it answers HTTP without a Server header",
  };
}

export function portsTakenMessage(
  taken: Array<{ service: Service; what: string }>,
  ports: StoragePorts,
): string {
  const which = taken.map(({ service, what }) => `${ports[service]} (${SERVICE_NAMES[service]}: ${what})`);
  const subject =
    taken.length === 1
      ? `port ${which[0]} is taken by a program that is not Azurite`
      : `ports ${which.join(", ")} are taken by programs that are not Azurite`;
  return (
    `UseDevelopmentStorage=true needs Azurite on 127.0.0.1, but ${subject}. Stop ` +
    `${taken.length === 1 ? "that program" : "them"}, point the storage connection at an Azure storage account, ` +
    `or run 'durable start --in-memory-storage'.`
  );
}

/** "Blob 10000, Queue 10001, Table 10002". */
export function describePorts(ports: StoragePorts, services: readonly Service[] = SERVICES): string {
  return services.map((service) => `${SERVICE_NAMES[service]} ${ports[service]}`).join(", ");
}
