import type { FailureDetails } from "../history";
import { StringValue, Timestamp, pb } from "./wire";

/** Wrapper and timestamp fields: absent on the wire is null on our side. */

export function toStringValue(text: string | null | undefined): StringValue | undefined {
  if (text === null || text === undefined) return undefined;
  const value = new StringValue();
  value.setValue(text);
  return value;
}

export function fromStringValue(value: StringValue | undefined): string | null {
  return value === undefined ? null : value.getValue();
}

export function toTimestamp(iso: string): Timestamp {
  return Timestamp.fromDate(new Date(iso));
}

export function fromTimestamp(value: Timestamp | undefined): string | null {
  return value === undefined ? null : value.toDate().toISOString();
}

export function toFailureDetails(details: FailureDetails): pb.TaskFailureDetails {
  const wire = new pb.TaskFailureDetails();
  wire.setErrortype(details.ErrorType);
  wire.setErrormessage(details.ErrorMessage);
  wire.setStacktrace(toStringValue(details.StackTrace));
  if (details.InnerFailure) wire.setInnerfailure(toFailureDetails(details.InnerFailure));
  wire.setIsnonretriable(details.IsNonRetriable);
  return wire;
}

export function fromFailureDetails(wire: pb.TaskFailureDetails): FailureDetails {
  const inner = wire.getInnerfailure();
  return {
    ErrorType: wire.getErrortype(),
    ErrorMessage: wire.getErrormessage(),
    StackTrace: fromStringValue(wire.getStacktrace()),
    InnerFailure: inner ? fromFailureDetails(inner) : null,
    IsNonRetriable: wire.getIsnonretriable(),
    Properties: null,
  };
}
