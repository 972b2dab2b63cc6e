/** An app that cannot start; the message is one line saying what to fix. */
export class AppLoadError extends Error {
  override readonly name = "AppLoadError";
}
