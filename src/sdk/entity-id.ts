import { entityInstanceId, parseEntityInstanceId } from "../protocol/entities";

/** Identifies one entity: its name (case-insensitive) and its key (case-sensitive). */
export class EntityId {
  constructor(
    public readonly name: string,
    public readonly key: string,
  ) {
    throwIfEmpty(name, "name");
    throwIfEmpty(key, "key");
  }

  /** Parses "@name@key"; the key may itself contain "@". */
  static fromInstanceId(instanceId: string): EntityId {
    const { name, key } = parseEntityInstanceId(instanceId);
    return new EntityId(name, key);
  }

  /** The instance id the entity lives under: "@" + lower-case name + "@" + key. */
  static toInstanceId(entityId: { name: string; key: string }): string {
    return entityInstanceId(entityId);
  }

  toString(): string {
    return EntityId.toInstanceId(this);
  }
}

function throwIfEmpty(value: unknown, name: string): void {
  if (typeof value !== "string") {
    throw new TypeError(`${name}: Expected non-empty, non-whitespace string but got ${typeof value}`);
  }
  if (value.trim().length === 0) {
    throw new Error(`${name}: Expected non-empty, non-whitespace string but got empty string`);
  }
}
