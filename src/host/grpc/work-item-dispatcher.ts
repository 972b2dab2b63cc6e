import { randomUUID } from "node:crypto";
import type { ServerWritableStream } from "@grpc/grpc-js";
import {
  RemoteWorkerGoneError,
  type RemoteActivity,
  type RemoteActivityResult,
  type RemoteEpisode,
  type RemoteEpisodeResult,
  type RemoteExecutor,
} from "../../engine/orchestration/remote-executor";
import type { pb } from "../../protocol/grpc/wire";
import { activityResult, activityWorkItem, episodeResult, orchestratorWorkItem } from "./wire-work-items";

export type WorkItemStream = ServerWritableStream<pb.GetWorkItemsRequest, pb.WorkItem>;

type InFlight =
  | {
      kind: "orchestrator";
      stream: WorkItemStream;
      resolve(r: pb.OrchestratorResponse): void;
      reject(e: Error): void;
    }
  | {
      kind: "activity";
      stream: WorkItemStream;
      resolve(r: pb.ActivityResponse): void;
      reject(e: Error): void;
    };

/**
 * Hands the engine's episodes and activities to the connected GetWorkItems streams and waits
 * for the matching Complete* call, found by the work item's completion token. Items wait while
 * no worker is connected; a stream that drops gives its items back to the engine at once.
 */
export class WorkItemDispatcher implements RemoteExecutor {
  private readonly streams: WorkItemStream[] = [];
  private nextStream = 0;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly waitingForStream: { resolve(s: WorkItemStream): void; reject(e: Error): void }[] = [];
  private closed = false;

  /** Serves `stream` until the worker cancels it or the endpoint closes. */
  attach(stream: WorkItemStream): void {
    this.streams.push(stream);
    const detach = () => this.detach(stream);
    stream.on("cancelled", detach);
    stream.on("close", detach);
    stream.on("error", detach);
    for (const waiter of this.waitingForStream.splice(0)) waiter.resolve(stream);
  }

  async runEpisode(episode: RemoteEpisode): Promise<RemoteEpisodeResult> {
    const stream = await this.pickStream();
    const token = randomUUID();
    const response = await new Promise<pb.OrchestratorResponse>((resolve, reject) => {
      this.inFlight.set(token, { kind: "orchestrator", stream, resolve, reject });
      stream.write(orchestratorWorkItem(episode, token));
    });
    return episodeResult(response);
  }

  async runActivity(activity: RemoteActivity): Promise<RemoteActivityResult> {
    const stream = await this.pickStream();
    const token = randomUUID();
    const response = await new Promise<pb.ActivityResponse>((resolve, reject) => {
      this.inFlight.set(token, { kind: "activity", stream, resolve, reject });
      stream.write(activityWorkItem(activity, token));
    });
    return activityResult(response);
  }

  /** False when no orchestrator work item with this token is out (stale or unknown). */
  completeOrchestrator(response: pb.OrchestratorResponse): boolean {
    const entry = this.take(response.getCompletiontoken(), "orchestrator");
    if (entry?.kind !== "orchestrator") return false;
    entry.resolve(response);
    return true;
  }

  completeActivity(response: pb.ActivityResponse): boolean {
    const entry = this.take(response.getCompletiontoken(), "activity");
    if (entry?.kind !== "activity") return false;
    entry.resolve(response);
    return true;
  }

  /** Gives every waiting and in-flight item back; later items are refused. */
  close(): void {
    this.closed = true;
    for (const stream of [...this.streams]) this.detach(stream);
    for (const waiter of this.waitingForStream.splice(0))
      waiter.reject(new RemoteWorkerGoneError("a work item"));
  }

  private take(token: string, kind: InFlight["kind"]): InFlight | undefined {
    const entry = this.inFlight.get(token);
    if (entry?.kind !== kind) return undefined;
    this.inFlight.delete(token);
    return entry;
  }

  private pickStream(): Promise<WorkItemStream> {
    if (this.closed) return Promise.reject(new RemoteWorkerGoneError("a work item"));
    if (this.streams.length > 0) {
      this.nextStream = (this.nextStream + 1) % this.streams.length;
      return Promise.resolve(this.streams[this.nextStream] as WorkItemStream);
    }
    return new Promise((resolve, reject) => this.waitingForStream.push({ resolve, reject }));
  }

  private detach(stream: WorkItemStream): void {
    const at = this.streams.indexOf(stream);
    if (at < 0) return;
    this.streams.splice(at, 1);
    for (const [token, entry] of this.inFlight) {
      if (entry.stream !== stream) continue;
      this.inFlight.delete(token);
      entry.reject(
        new RemoteWorkerGoneError(entry.kind === "orchestrator" ? "an orchestration" : "an activity"),
      );
    }
    if (!stream.writableEnded) stream.end();
  }
}
