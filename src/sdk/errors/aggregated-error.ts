const SEPARATOR = "-----------------------------------";

/** Several errors reported as one, each listed with its name, message and stack. */
export class AggregatedError extends Error {
  constructor(public errors: Error[]) {
    const listed = errors.map(
      (error) => `Name: ${error.name}\nMessage: ${error.message}\nStackTrace: ${error.stack}`,
    );
    super(
      `context.df.Task.all() encountered the below error messages:\n\n${listed.join(`\n${SEPARATOR}\n`)}`,
    );
  }
}
