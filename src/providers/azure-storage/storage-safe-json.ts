/**
 * JSON text that every storage service carries unchanged. A few characters are valid in JSON
 * strings but break a storage path when sent raw:
 *
 * - U+2028 and U+2029: Azurite's table `$batch` parser cuts a sub-request's JSON at them (a
 *   JavaScript `.` does not match line separators); the transaction fails and, once some of its
 *   entities were applied, Azurite refuses every later transaction until it restarts.
 * - U+FFFE and U+FFFF: not XML 1.0 characters, so a queue message holding them cannot be read
 *   back (Azurite then fails every receive on that queue).
 *
 * `JSON.stringify` leaves them raw. Written as `\uXXXX` escapes they mean the same to every JSON
 * reader, DTFx's included, and nothing else in a table or queue body needs to change.
 */

const STORAGE_UNSAFE = /[\u2028\u2029\ufffe\uffff]/g;

/**
 * `text` with the characters above escaped. Only for JSON text, or text built around JSON
 * whose other parts (URLs, headers) never hold them raw: in JSON they can only appear inside
 * string literals, where the escape is equivalent.
 */
export function escapeStorageUnsafeCharacters(text: string): string {
  return text.replace(STORAGE_UNSAFE, (character) => `\\u${character.charCodeAt(0).toString(16)}`);
}
