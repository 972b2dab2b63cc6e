import type { EntityIdPayload } from "../../protocol/actions";
import { entityInstanceId } from "../../protocol/entities";
import { hasForbiddenIdCharacter } from "../ids";

/**
 * Entity names and keys end up in table keys and URLs, like instance ids: refuse what would
 * break either, with a message that says which part is wrong.
 */
export function validateEntityId(entity: EntityIdPayload): void {
  if (entity.name.trim().length === 0) throw new RangeError("The entity name must not be empty.");
  if (entity.name.includes("@")) throw new RangeError("The entity name must not contain '@'.");
  if (entity.key.length === 0) throw new RangeError("The entity key must not be empty.");
  const id = entityInstanceId(entity);
  if (id.length > 256)
    throw new RangeError("Entity names and keys together must be at most 254 characters long.");
  for (const [part, text] of [
    ["name", entity.name],
    ["key", entity.key],
  ] as const) {
    if (hasForbiddenIdCharacter(text)) {
      throw new RangeError(
        `The entity ${part} '${text}' contains a character that is not allowed (/ \\ # ?, a control character or a lone surrogate).`,
      );
    }
  }
}
