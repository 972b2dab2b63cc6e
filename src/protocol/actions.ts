/**
 * Actions an out-of-proc orchestrator returns in OrchestratorState.actions. camelCase, with an
 * integer actionType. Fields are absent when the worker left them undefined.
 */

export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  ScheduledSignalEntity = 10,
  WhenAny = 11,
  WhenAll = 12,
  LockEntities = 13,
  ReleaseEntities = 14,
}

/** The worker's RetryOptions as it serialises them. */
export interface RetryOptionsPayload {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface TokenSourcePayload {
  resource: string;
  kind: string;
}

export interface DurableHttpRequestPayload {
  method: string;
  uri: string;
  content?: string;
  headers?: Record<string, string>;
  tokenSource?: TokenSourcePayload;
  asynchronousPatternEnabled?: boolean;
  timeout?: string;
}

/** What BuiltIn::HttpActivity returns as TaskCompleted.Result. */
export interface DurableHttpResponsePayload {
  statusCode: number;
  headers?: Record<string, string | string[]>;
  content?: string;
}

/** An entity id as the worker writes it in lock sets and signals. */
export interface EntityIdPayload {
  name: string;
  key: string;
}

export interface CallActivityAction {
  actionType: ActionType.CallActivity;
  functionName: string;
  input?: unknown;
}

export interface CallActivityWithRetryAction {
  actionType: ActionType.CallActivityWithRetry;
  functionName: string;
  retryOptions: RetryOptionsPayload;
  input?: unknown;
}

export interface CallSubOrchestratorAction {
  actionType: ActionType.CallSubOrchestrator;
  functionName: string;
  instanceId?: string;
  version?: string;
  input?: unknown;
}

export interface CallSubOrchestratorWithRetryAction {
  actionType: ActionType.CallSubOrchestratorWithRetry;
  functionName: string;
  retryOptions: RetryOptionsPayload;
  instanceId?: string;
  version?: string;
  input?: unknown;
}

export interface ContinueAsNewAction {
  actionType: ActionType.ContinueAsNew;
  input?: unknown;
}

export interface CreateTimerAction {
  actionType: ActionType.CreateTimer;
  /** The final fire time, ISO-8601. */
  fireAt: string;
  isCanceled: boolean;
}

export interface WaitForExternalEventAction {
  actionType: ActionType.WaitForExternalEvent;
  externalEventName: string;
  reason: string;
}

export interface CallEntityAction {
  actionType: ActionType.CallEntity;
  /** "@<lower-case name>@<key>" */
  instanceId: string;
  operation: string;
  input?: unknown;
}

export interface CallHttpAction {
  actionType: ActionType.CallHttp;
  httpRequest: DurableHttpRequestPayload;
}

export interface SignalEntityAction {
  actionType: ActionType.SignalEntity;
  instanceId: string;
  operation: string;
  input?: unknown;
}

export interface ScheduledSignalEntityAction {
  actionType: ActionType.ScheduledSignalEntity;
  instanceId: string;
  operation: string;
  input?: unknown;
  fireAt: string;
}

export interface WhenAnyAction {
  actionType: ActionType.WhenAny;
  compoundActions: OrchestratorAction[];
}

export interface WhenAllAction {
  actionType: ActionType.WhenAll;
  compoundActions: OrchestratorAction[];
}

export interface LockEntitiesAction {
  actionType: ActionType.LockEntities;
  lockRequestId: string;
  lockSet: EntityIdPayload[];
}

export interface ReleaseEntitiesAction {
  actionType: ActionType.ReleaseEntities;
}

export type OrchestratorAction =
  | CallActivityAction
  | CallActivityWithRetryAction
  | CallSubOrchestratorAction
  | CallSubOrchestratorWithRetryAction
  | ContinueAsNewAction
  | CreateTimerAction
  | WaitForExternalEventAction
  | CallEntityAction
  | CallHttpAction
  | SignalEntityAction
  | ScheduledSignalEntityAction
  | WhenAnyAction
  | WhenAllAction
  | LockEntitiesAction
  | ReleaseEntitiesAction;

export type OrchestratorActionOf<T extends ActionType> = Extract<OrchestratorAction, { actionType: T }>;
