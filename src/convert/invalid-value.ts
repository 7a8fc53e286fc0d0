/**
 * Thrown by the parsers of single values; the converter of the field turns it into a
 * GraphloadError that names the column, the value and the expected type.
 */
export class InvalidValue extends Error {
  /** Why the value does not convert, where that says more than the expected type. */
  readonly reason: string | undefined;

  constructor(reason?: string) {
    super(reason ?? "invalid value");
    this.name = "InvalidValue";
    this.reason = reason;
  }
}
