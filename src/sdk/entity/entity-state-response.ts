/** The result of `DurableClient.readEntityState`. */
export class EntityStateResponse<T> {
  constructor(
    /** Whether the entity exists. */
    public entityExists: boolean,
    /** The entity's state when it exists. */
    public entityState?: T,
  ) {}
}
