// Shared command-line plumbing: argument parsing, --help, and the exit-code contract
// (0 clean, 1 findings/invalid/drift, 2 usage or bad input). No command prints a stack trace.
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Bad input or bad usage: exit 2 with a message naming the file, the key path and what was expected. */
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

export const EXIT = { clean: 0, findings: 1, usage: 2 } as const;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses argv with node:util parseArgs; unknown flags become a UsageError. `--help` is always accepted. */
export function parseCli<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    if ((parsed.values as Record<string, unknown>).help) {
      process.stdout.write(usage.trimEnd() + "\n");
      process.exit(EXIT.clean);
    }
    return parsed;
  } catch (err) {
    if (err instanceof Error && "code" in err && String((err as { code: unknown }).code).startsWith("ERR_PARSE_ARGS")) {
      throw new UsageError(`${err.message}\n\n${usage.trimEnd()}`);
    }
    throw err;
  }
}

function isForeignInputError(err: unknown): err is { format(): string } {
  return err instanceof Error && (err as { exitCode?: unknown }).exitCode === EXIT.usage && typeof (err as { format?: unknown }).format === "function";
}

/** Runs a command's main function and maps its outcome onto the exit-code contract. */
export async function runMain(main: () => Promise<number | void>): Promise<void> {
  try {
    const code = await main();
    process.exitCode = code ?? EXIT.clean;
  } catch (err) {
    // Engines outside scripts/ (the policy engine package) raise their own input errors of the same shape.
    if (err instanceof InputError || isForeignInputError(err)) {
      process.stderr.write(`error: ${err.format()}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    // An unexpected failure is a bug; still one line, not a stack trace, unless DEBUG is set.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.DEBUG) console.error(err);
    process.exitCode = EXIT.usage;
  }
}

/** True when stdout is a terminal and colour is not disabled (NO_COLOR convention). */
export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}
