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

/** `--help` was given: not an error, the caller prints the usage and exits 0 (the parser never exits the process). */
export class HelpRequested extends Error {
  readonly usage: string;
  constructor(usage: string) {
    super("help requested");
    this.usage = usage.trimEnd() + "\n";
    this.name = "HelpRequested";
  }
}

/** Where a command writes: the process's streams, or buffers for in-process callers (tests). */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses argv with node:util parseArgs; unknown flags become a UsageError. `--help` is always accepted: it throws HelpRequested. */
export function parseCli<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    if ((parsed.values as Record<string, unknown>).help) throw new HelpRequested(usage);
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

/**
 * Runs a command's main function with argv and io and maps its outcome onto the exit-code contract: --help
 * prints the usage to io.stdout (0), input errors one line to io.stderr (2). In-process callers use this.
 */
export async function runCommand(main: (argv: string[], io: Io) => Promise<number | void> | number | void, argv: string[], io: Io = processIo): Promise<number> {
  try {
    return (await main(argv, io)) ?? EXIT.clean;
  } catch (err) {
    if (err instanceof HelpRequested) {
      io.stdout(err.usage);
      return EXIT.clean;
    }
    // Engines outside scripts/ (the policy engine package) raise their own input errors of the same shape.
    if (err instanceof InputError || isForeignInputError(err)) {
      io.stderr(`error: ${err.format()}\n`);
      return EXIT.usage;
    }
    // An unexpected failure is a bug; still one line, not a stack trace, unless DEBUG is set.
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`error: ${message}\n`);
    if (process.env.DEBUG) console.error(err);
    return EXIT.usage;
  }
}

/** The entry point: runs main on the process's argv and streams and sets the exit code (never process.exit). */
export async function runMain(main: (argv: string[], io: Io) => Promise<number | void> | number | void): Promise<void> {
  process.exitCode = await runCommand(main, process.argv.slice(2), processIo);
}

/** True when stdout is a terminal and colour is not disabled (NO_COLOR convention). */
export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}
