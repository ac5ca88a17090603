// Shared command-line plumbing: argument parsing, --help, and the exit-code contract
// (0 clean, 1 findings/invalid/drift, 2 usage or bad input). No command prints a stack trace.
import type { Stats } from "node:fs";
import type { ParseArgsConfig } from "node:util";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { parseArgs } = process.getBuiltinModule("node:util");

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

/** What a file-system error means to the person who gave the path, and what was expected there instead. */
const ERRNO: Record<string, [reason: string, expected: string]> = {
  ENOENT: ["no such file or directory", "an existing path"],
  ENOTDIR: ["a path component is not a directory", "a directory"],
  EISDIR: ["is a directory", "a file"],
  EACCES: ["permission denied", "permission for this user: check the mode and owner"],
  EPERM: ["operation not permitted", "permission for this user: check the mode and owner"],
  EEXIST: ["already exists", "a path that is free, or a directory"],
  EROFS: ["read-only file system", "a writable checkout"],
  ENOSPC: ["no space left on device", "free disk space"],
  ELOOP: ["too many symbolic links", "a path without a symbolic-link loop"],
  ENAMETOOLONG: ["file name too long", "a shorter path"],
};

/** A Node file-system error (it carries the path and an errno code): mapped to the input-error shape, not a bug. */
export function fileSystemError(err: unknown, at?: string): InputError | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code } = err as NodeJS.ErrnoException;
  // A read of a directory fails in read(2), whose error carries no path: the caller knows it.
  const file = (err as NodeJS.ErrnoException).path ?? at;
  const known = code ? ERRNO[code] : undefined;
  if (!known || typeof file !== "string") return undefined;
  return new InputError(known[0], { file, expected: known[1] });
}

/** A flag's value that must be a whole number of at least min. */
export function intFlag(value: string | undefined, flag: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} ${JSON.stringify(value)}: not a whole number of at least ${min}`, { expected: `e.g. ${flag} ${fallback}` });
  }
  return n;
}

/** A flag's value that must be one of choices (several, comma-separated, with list). */
export function choiceFlag<T extends string>(value: string | undefined, flag: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`unknown ${flag} ${JSON.stringify(value)}`, { expected: choices.join(", ") });
  return value as T;
}

export function choicesFlag<T extends string>(value: string | undefined, flag: string, choices: readonly T[]): Set<T> {
  if (value === undefined) return new Set(choices);
  const picked = value.split(",").map((v) => v.trim()).filter(Boolean);
  const unknown = picked.filter((v) => !(choices as readonly string[]).includes(v));
  if (unknown.length || !picked.length) {
    throw new UsageError(`${flag} ${JSON.stringify(value)}: unknown ${unknown.length ? unknown.join(", ") : "(empty list)"}`, { expected: `a comma-separated list of ${choices.join(", ")}` });
  }
  return new Set(picked as T[]);
}

/** A flag naming a path that must exist and be a file or a directory; checked before any work starts. */
export function existingPath(value: string, flag: string, kind: "file" | "directory"): string {
  let stat: Stats;
  try {
    stat = fs.statSync(value);
  } catch (err) {
    const mapped = fileSystemError(err);
    throw new UsageError(`${flag} ${value}: ${mapped ? mapped.message : String(err)}`, { expected: `an existing ${kind}` });
  }
  if (kind === "directory" ? !stat.isDirectory() : stat.isDirectory()) {
    throw new UsageError(`${flag} ${value}: ${kind === "directory" ? "not a directory" : "is a directory"}`, { expected: `an existing ${kind}` });
  }
  return value;
}

/** Reads a text file a person named (at path, e.g. "--token-file"): a missing, unreadable or directory path is an InputError. */
export function readInputFile(file: string, at?: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    const mapped = fileSystemError(err, file);
    throw new InputError(`cannot read: ${mapped?.message ?? (err as Error).message}`, { file, ...(at ? { path: at } : {}), expected: mapped?.details.expected ?? "a readable file" });
  }
}

/** A flag naming a directory to write into: created when missing, refused when it is a file. */
export function outputDir(value: string, flag: string): string {
  if (fs.existsSync(value) && !fs.statSync(value).isDirectory()) throw new UsageError(`${flag} ${value}: not a directory`, { expected: "a directory to write into (created when missing)" });
  return value;
}

/** A flag naming a file to write: not a directory, in a folder that exists; checked before any work starts. */
export function outputFile(value: string, flag: string): string {
  const dir = path.dirname(path.resolve(value));
  existingPath(dir, `${flag} ${value}: folder`, "directory");
  if (fs.existsSync(value) && fs.statSync(value).isDirectory()) throw new UsageError(`${flag} ${value}: is a directory`, { expected: "a file path to write" });
  return value;
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
    const fsError = fileSystemError(err);
    if (fsError) {
      io.stderr(`error: ${fsError.format()}\n`);
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
