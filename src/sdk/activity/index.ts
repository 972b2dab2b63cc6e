export type {
  ActivityHandler,
  ActivityOptions,
  ActivityTrigger,
  RegisteredActivity,
  RegisteredActivityTask,
} from "./activity-types";
export { wrapActivityHandler, type WrappedActivityHandler } from "./activity-handler";
