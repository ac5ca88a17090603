// The package's own error types: bad input (a file, a flag value) and bad usage. The CLI turns
// both into kubeconform's exit code 1 with one line on stderr, never a stack trace.
export class InputError extends Error {
  readonly details: { file?: string; path?: string; expected?: string };
  constructor(message: string, details: { file?: string; path?: string; expected?: string } = {}) {
    super(message);
    this.details = details;
    this.name = "InputError";
  }
  format(): string {
    const where = [this.details.file, this.details.path].filter(Boolean).join(": ");
    const expected = this.details.expected ? ` (expected ${this.details.expected})` : "";
    return where ? `${where}: ${this.message}${expected}` : `${this.message}${expected}`;
  }
}

export class UsageError extends InputError {}
