// Errors the engine raises for bad input or usage. A CLI maps them to exit code 2 and prints format():
// the file, the key path and what was expected, never a stack trace.
export interface InputErrorDetails {
  file?: string;
  path?: string;
  expected?: string;
}

export class PolicyInputError extends Error {
  readonly details: InputErrorDetails;
  /** The exit code of the exit-code contract (0 clean, 1 findings, 2 usage or bad input). */
  readonly exitCode = 2;
  constructor(message: string, details: InputErrorDetails = {}) {
    super(message);
    this.details = details;
    this.name = "PolicyInputError";
  }
  format(): string {
    const where = [this.details.file, this.details.path].filter(Boolean).join(": ");
    const expected = this.details.expected ? ` (expected ${this.details.expected})` : "";
    return where ? `${where}: ${this.message}${expected}` : `${this.message}${expected}`;
  }
}

/** A bad option (unknown profile, malformed version, unknown output format). */
export class PolicyUsageError extends PolicyInputError {}

/** Node's file-system message without its errno code and syscall: "EACCES: permission denied, open 'x'" -> "permission denied". */
export function fileErrorReason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/^E[A-Z]+: /, "").replace(/, \w+( '.*')?$/, "");
}
