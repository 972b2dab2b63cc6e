import { trigger as azureTrigger } from "@azure/functions";
import type { ActivityTrigger } from "./activity/activity-types";
import type { EntityTrigger } from "./entity/entity-types";
import type { OrchestrationTrigger } from "./orchestration";

export function activity(): ActivityTrigger {
  return azureTrigger.generic({ type: "activityTrigger" }) as ActivityTrigger;
}

export function orchestration(): OrchestrationTrigger {
  return azureTrigger.generic({ type: "orchestrationTrigger" }) as OrchestrationTrigger;
}

export function entity(): EntityTrigger {
  return azureTrigger.generic({ type: "entityTrigger" }) as EntityTrigger;
}
