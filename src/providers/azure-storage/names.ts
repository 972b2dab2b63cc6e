/**
 * Names and keys of a task hub's Azure Storage artefacts, laid out as DurableTask.AzureStorage
 * lays them out so that both can share one storage account.
 */

export const DEFAULT_PARTITION_COUNT = 4;
export const MAX_PARTITION_COUNT = 16;
export const SENTINEL_ROW_KEY = "sentinel";

const MIN_HUB_NAME_LENGTH = 3;
// 45 leaves room for the longest suffix ("-largemessages") within the 63 characters of a queue name.
const MAX_HUB_NAME_LENGTH = 45;
const HUB_NAME_RULE = `A task hub name must start with a letter, contain only letters and digits, and be ${MIN_HUB_NAME_LENGTH} to ${MAX_HUB_NAME_LENGTH} characters long.`;

export function validateTaskHubName(name: string): void {
  let problem: string | undefined;
  if (name.length < MIN_HUB_NAME_LENGTH || name.length > MAX_HUB_NAME_LENGTH) {
    problem = `is ${name.length} characters long`;
  } else if (!/^[A-Za-z]/.test(name)) {
    problem = "does not start with a letter";
  } else if (!/^[A-Za-z0-9]+$/.test(name)) {
    problem = "contains characters other than letters and digits";
  }
  if (problem !== undefined)
    throw new Error(`Invalid task hub name '${name}': it ${problem}. ${HUB_NAME_RULE}`);
}

/** The hub name Durable Functions v2+ uses when none is configured: the site name, made valid. */
export function defaultTaskHubName(env: NodeJS.ProcessEnv): string {
  const siteName = env.WEBSITE_SITE_NAME;
  if (!siteName) return "TestHubName";
  let name = siteName.replace(/[^A-Za-z0-9]/g, "");
  if (name.length === 0) return "DefaultTaskHub";
  if (/^[0-9]/.test(name)) name = `t${name}`;
  name = name.slice(0, MAX_HUB_NAME_LENGTH);
  if (name.length < MIN_HUB_NAME_LENGTH) name = `${name}Hub`;
  return name;
}

export function validatePartitionCount(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTITION_COUNT) {
    throw new Error(
      `Invalid partition count ${n}: it must be a whole number from 1 to ${MAX_PARTITION_COUNT}.`,
    );
  }
}

export interface TaskHubResourceNames {
  hubName: string;
  historyTable: string;
  instancesTable: string;
  partitionsTable: string;
  poisonTable: string;
  workItemQueue: string;
  controlQueues: readonly string[];
  leasesContainer: string;
  largeMessagesContainer: string;
}

export function taskHubResourceNames(hubName: string, partitionCount: number): TaskHubResourceNames {
  // Tables keep the configured case; queue and container names must be lower case.
  const lower = hubName.toLowerCase();
  return {
    hubName,
    historyTable: `${hubName}History`,
    instancesTable: `${hubName}Instances`,
    partitionsTable: `${hubName}Partitions`,
    poisonTable: `${hubName}Poison`,
    workItemQueue: `${lower}-workitems`,
    controlQueues: Array.from(
      { length: partitionCount },
      (_, i) => `${lower}-control-${String(i).padStart(2, "0")}`,
    ),
    leasesContainer: `${lower}-leases`,
    largeMessagesContainer: `${lower}-largemessages`,
  };
}

// Table keys may not contain '/', '\', '#', '?' or control characters; '^' escapes them.
const ESCAPE = "^";
const ESCAPE_CODES = new Map([
  ["^", "^"],
  ["/", "0"],
  ["\\", "1"],
  ["#", "2"],
  ["?", "3"],
]);
const UNESCAPED = new Map([...ESCAPE_CODES].map(([raw, code]) => [code, raw]));
const CONTROL_CHARACTER_BASE = 0xc0;

function isControlCharacter(code: number): boolean {
  return (code >= 0 && code <= 0x1f) || (code >= 0x7f && code <= 0x9f);
}

export function escapePartitionKey(instanceId: string): string {
  let key = "";
  for (const character of instanceId) {
    const code = character.charCodeAt(0);
    const escapeCode = ESCAPE_CODES.get(character);
    if (escapeCode !== undefined) key += ESCAPE + escapeCode;
    else if (isControlCharacter(code)) key += ESCAPE + String.fromCharCode(CONTROL_CHARACTER_BASE + code);
    else key += character;
  }
  return key;
}

export function unescapePartitionKey(key: string): string {
  let instanceId = "";
  for (let i = 0; i < key.length; i++) {
    const character = key[i];
    const next = key[i + 1];
    if (character !== ESCAPE || next === undefined) {
      instanceId += character;
      continue;
    }
    const control = next.charCodeAt(0) - CONTROL_CHARACTER_BASE;
    const unescaped =
      UNESCAPED.get(next) ?? (isControlCharacter(control) ? String.fromCharCode(control) : undefined);
    // A '^' that escapes nothing we know is kept as written.
    if (unescaped === undefined) {
      instanceId += character;
      continue;
    }
    instanceId += unescaped;
    i++;
  }
  return instanceId;
}

/** The History RowKey of the event at `sequence` in its execution: 16 uppercase hex digits. */
export function historyRowKey(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new Error(`Invalid history sequence number ${sequence}: it must be a whole number of 0 or more.`);
  }
  return sequence.toString(16).toUpperCase().padStart(16, "0");
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of Buffer.from(text, "utf8")) {
    hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  }
  return hash;
}

/** The control queue an instance's messages go to; the raw id is hashed, as DTFx does. */
export function partitionIndexOf(instanceId: string, partitionCount: number): number {
  return fnv1a32(instanceId) % partitionCount;
}
