import type { HistoryEvent } from "../../protocol/history";
import { OrchestrationStatusCode } from "../../protocol/history";
import { toWireHistoryEvent, toWireInstance } from "../../protocol/grpc/history-events";
import { pb } from "../../protocol/grpc/wire";
import { fromFailureDetails, fromStringValue, toStringValue } from "../../protocol/grpc/wire-values";
import type {
  RemoteAction,
  RemoteActivity,
  RemoteActivityResult,
  RemoteEpisode,
  RemoteEpisodeResult,
} from "../../engine/orchestration/remote-executor";

/** Work items out to a Durable Task SDK worker, and its answers back into engine terms. */

export function orchestratorWorkItem(episode: RemoteEpisode, completionToken: string): pb.WorkItem {
  const request = new pb.OrchestratorRequest();
  request.setInstanceid(episode.instanceId);
  request.setExecutionid(toStringValue(episode.executionId));
  request.setPasteventsList(wireEvents(episode.past));
  request.setNeweventsList(wireEvents(episode.newEvents));
  const item = new pb.WorkItem();
  item.setOrchestratorrequest(request);
  item.setCompletiontoken(completionToken);
  return item;
}

export function activityWorkItem(activity: RemoteActivity, completionToken: string): pb.WorkItem {
  const request = new pb.ActivityRequest();
  request.setName(activity.name);
  request.setVersion(toStringValue(activity.version));
  request.setInput(toStringValue(activity.input));
  request.setTaskid(activity.taskId);
  request.setOrchestrationinstance(
    toWireInstance({ InstanceId: activity.instanceId, ExecutionId: activity.executionId ?? "" }),
  );
  const item = new pb.WorkItem();
  item.setActivityrequest(request);
  item.setCompletiontoken(completionToken);
  return item;
}

export function episodeResult(response: pb.OrchestratorResponse): RemoteEpisodeResult {
  return {
    actions: response.getActionsList().map(remoteAction),
    customStatus: fromStringValue(response.getCustomstatus()),
  };
}

export function activityResult(response: pb.ActivityResponse): RemoteActivityResult {
  const failure = response.getFailuredetails();
  if (failure) return { failure: fromFailureDetails(failure) };
  return { result: fromStringValue(response.getResult()) };
}

function remoteAction(action: pb.OrchestratorAction): RemoteAction {
  const id = action.getId();
  const task = action.getScheduletask();
  if (task) {
    return {
      id,
      kind: "scheduleTask",
      name: task.getName(),
      version: fromStringValue(task.getVersion()),
      input: fromStringValue(task.getInput()),
    };
  }
  const complete = action.getCompleteorchestration();
  if (complete) {
    const failure = complete.getFailuredetails();
    return {
      id,
      kind: "completeOrchestration",
      status: complete.getOrchestrationstatus() as number as OrchestrationStatusCode,
      result: fromStringValue(complete.getResult()),
      failureDetails: failure ? fromFailureDetails(failure) : null,
    };
  }
  // The generated enum object has no reverse mapping.
  const actionCase = action.getOrchestratoractiontypeCase();
  const kind = Object.entries(pb.OrchestratorAction.OrchestratoractiontypeCase).find(
    ([, v]) => v === actionCase,
  );
  return { id, kind: "unsupported", description: `an action of kind ${kind?.[0] ?? actionCase}` };
}

function wireEvents(events: readonly HistoryEvent[]): pb.HistoryEvent[] {
  return events.flatMap((event) => toWireHistoryEvent(event) ?? []);
}
