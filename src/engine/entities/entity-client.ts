import type { EntityIdPayload } from "../../protocol/actions";
import { ENTITY_RELEASE_EVENT, type EntityReleaseMessage } from "../../protocol/entities";
import type { InstanceState, TaskHub } from "../../providers/task-hub";
import { isTerminalStatus } from "../errors";
import * as events from "../history-events";
import { entitySignal } from "./entity-messages";
import { entityInstanceId, isEntityInstanceId, parseEntityInstanceId } from "../../protocol/entities";
import { requireValueWithinLimit } from "../value-limits";
import { validateEntityId } from "./entity-id-validation";
import { isEmptyScheduler, parseJsonObject, parseSchedulerState, type EntityStatus } from "./scheduler-state";

export interface EntityStateResult {
  exists: boolean;
  /** The state as JSON text; absent when the entity does not exist or has no state. */
  state?: string;
}

export interface EntityQuery {
  /** Only entities of this name (case-insensitive). */
  entityName?: string;
  /** Inclusive ISO bounds on the time of the entity's last operation. */
  lastOperationTimeFrom?: string;
  lastOperationTimeTo?: string;
  pageSize?: number;
  continuationToken?: string;
  /** Include each entity's state (default false). */
  fetchState?: boolean;
  /** Include entities that do not exist (deleted, or only locked or with queued work). */
  includeDeleted?: boolean;
}

export interface EntityMetadata {
  entityId: EntityIdPayload;
  /** ISO time. */
  lastOperationTime: string;
  /** JSON text of the state, when asked for and there is one. */
  state?: string;
  lockedBy?: string;
  queueSize: number;
}

export interface EntityQueryPage {
  entities: EntityMetadata[];
  /** Absent on the last page. */
  continuationToken?: string;
}

export interface CleanEntityStorageResult {
  numberOfEmptyEntitiesRemoved: number;
  numberOfOrphanedLocksRemoved: number;
}

/** The client side of entities: signal, read, list and clean up, on any task hub. */
export class EntityClient {
  constructor(private readonly hub: TaskHub) {}

  /** Queues an operation for the entity; `input` is JSON text. A future `scheduledTime` delays it. */
  async signal(
    entity: EntityIdPayload,
    operation: string,
    input: string | null,
    scheduledTime?: Date,
  ): Promise<void> {
    validateEntityId(entity);
    requireValueWithinLimit("entity operation input", input);
    const now = this.hub.clock.now();
    const due = scheduledTime && scheduledTime > now ? scheduledTime.toISOString() : undefined;
    await this.hub.sendMessage(
      entitySignal(entity, operation, input ?? undefined, now.toISOString(), { due }),
    );
  }

  async readState(entity: EntityIdPayload): Promise<EntityStateResult> {
    validateEntityId(entity);
    const instance = await this.hub.getInstance(entityInstanceId(entity));
    const scheduler = parseSchedulerState(instance?.input);
    if (!scheduler.exists) return { exists: false };
    return scheduler.state === undefined ? { exists: true } : { exists: true, state: scheduler.state };
  }

  /** One page of entities, newest operations not first: in instance id order, as storage keeps them. */
  async list(query: EntityQuery = {}): Promise<EntityQueryPage> {
    // The ids of one name start with its instance id for the empty key.
    const prefix =
      query.entityName === undefined ? "@" : entityInstanceId({ name: query.entityName, key: "" });
    const page = await this.hub.queryInstances({
      instanceIdPrefix: prefix,
      includeEntities: true,
      pageSize: query.pageSize,
      continuationToken: query.continuationToken,
      fetchInputsAndOutputs: query.fetchState === true,
    });
    const entities = page.instances
      .filter((instance) => isEntityInstanceId(instance.instanceId) && inRange(instance, query))
      .map((instance) => toMetadata(instance, query.fetchState === true))
      .filter((entity) => query.includeDeleted === true || entity.exists)
      .map(({ exists: _exists, ...entity }) => entity);
    return page.continuationToken ? { entities, continuationToken: page.continuationToken } : { entities };
  }

  /**
   * Removes entities that hold nothing (no state, no queued work, no lock) and releases locks
   * whose holder no longer runs (ended, or purged).
   */
  async clean(
    removeEmptyEntities: boolean,
    releaseOrphanedLocks: boolean,
  ): Promise<CleanEntityStorageResult> {
    const result: CleanEntityStorageResult = {
      numberOfEmptyEntitiesRemoved: 0,
      numberOfOrphanedLocksRemoved: 0,
    };
    let continuationToken: string | undefined;
    do {
      const page = await this.hub.queryInstances({
        instanceIdPrefix: "@",
        includeEntities: true,
        pageSize: 100,
        continuationToken,
      });
      for (const instance of page.instances) {
        if (!isEntityInstanceId(instance.instanceId)) continue;
        const scheduler = parseSchedulerState(instance.input);
        if (removeEmptyEntities && isEmptyScheduler(scheduler)) {
          result.numberOfEmptyEntitiesRemoved += await this.hub.purgeInstance(instance.instanceId);
        } else if (releaseOrphanedLocks && scheduler.lockedBy && (await this.hasEnded(scheduler.lockedBy))) {
          await this.releaseLock(instance.instanceId, scheduler.lockedBy);
          result.numberOfOrphanedLocksRemoved++;
        }
      }
      continuationToken = page.continuationToken;
    } while (continuationToken);
    return result;
  }

  private async hasEnded(instanceId: string): Promise<boolean> {
    const holder = await this.hub.getInstance(instanceId);
    return !holder || isTerminalStatus(holder.runtimeStatus);
  }

  private releaseLock(entityInstance: string, holder: string): Promise<void> {
    const body: EntityReleaseMessage = { parent: holder, id: "" };
    return this.hub.sendMessage({
      event: events.eventRaised(
        ENTITY_RELEASE_EVENT,
        JSON.stringify(body),
        this.hub.clock.now().toISOString(),
      ),
      instance: { instanceId: entityInstance, executionId: null },
    });
  }
}

function inRange(instance: InstanceState, query: EntityQuery): boolean {
  const time = instance.lastUpdatedTime;
  if (query.lastOperationTimeFrom && Date.parse(time) < Date.parse(query.lastOperationTimeFrom)) return false;
  if (query.lastOperationTimeTo && Date.parse(time) > Date.parse(query.lastOperationTimeTo)) return false;
  return true;
}

function toMetadata(instance: InstanceState, withState: boolean): EntityMetadata & { exists: boolean } {
  const status = parseJsonObject<EntityStatus>(instance.customStatus) ?? {};
  const scheduler = withState ? parseSchedulerState(instance.input) : undefined;
  return {
    entityId: parseEntityInstanceId(instance.instanceId),
    lastOperationTime: instance.lastUpdatedTime,
    ...(scheduler?.exists && scheduler.state !== undefined ? { state: scheduler.state } : {}),
    ...(status.lockedBy ? { lockedBy: status.lockedBy } : {}),
    queueSize: status.queueSize ?? 0,
    exists: status.entityExists === true,
  };
}
