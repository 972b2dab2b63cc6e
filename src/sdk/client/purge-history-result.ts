/** How many instances a purge deleted. */
export class PurgeHistoryResult {
  constructor(readonly instancesDeleted: number) {}
}
