// The kubeconform command: main(argv, io) returns the exit code kubeconform would (0 all valid,
// 1 anything invalid, any error, any usage error; -h exits 0). Callers embedding it (a project's
// wrapper) can add flags, default schema locations, in-memory inputs and fallback validators.
import { checkOutputFormat, OUTPUT_FORMAT_ERROR, parseFlags, type Config, type FlagSpec } from "./config.ts";
import { InputError } from "./errors.ts";
import type { Input } from "./index.ts";
import type { Reader } from "./reader.ts";
import type { FallbackValidators, InputDocument, ValidateOptions } from "./types.ts";
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");

export const VERSION = "v0.7.0";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether standard input is a terminal or other character device (kubeconform refuses to read those). */
  stdinIsCharDevice?: () => boolean;
  /** Standard input's bytes, when not file descriptor 0 (in-process callers). */
  stdin?: Reader;
}

export interface Embedding {
  /** The program name in usage lines (kubeconform prints os.Args[0]). */
  progName?: string;
  /** Extra flags for the caller, listed after kubeconform's in -h. */
  extraFlags?: readonly FlagSpec[];
  /** Text appended to the usage. */
  extraUsage?: string;
  /** Locations used when no -schema-location is given (kubeconform: its default URL). */
  defaultSchemaLocations?: readonly string[];
  /** Compiled-validator cache folder. */
  cacheDir?: string;
  /**
   * Lets the caller decide from the parsed flags: documents to validate instead of stdin when no
   * path is given, fallback validators, extra option changes, notices for stderr.
   */
  configure?: (config: Config) => Promise<{ documents?: readonly InputDocument[]; fallback?: FallbackValidators; options?: Partial<ValidateOptions>; notices?: string[] } | void>;
}

export function processIo(): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdinIsCharDevice: () => {
      try {
        return fs.fstatSync(0).isCharacterDevice();
      } catch {
        return false;
      }
    },
  };
}

/** Go's log.Fatalf line: "2006/01/02 15:04:05 message". */
function logLine(message: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${message}\n`;
}

export async function main(argv: readonly string[], io: Io = processIo(), embedding: Embedding = {}): Promise<number> {
  const parsed = parseFlags(embedding.progName ?? "kubeconform", argv, embedding.extraFlags, embedding.extraUsage);
  if (!parsed.ok) {
    // kubeconform prints usage with Println: -h to stdout with 0, anything else to stderr with 1
    if (parsed.config.help) {
      io.stdout(parsed.out + "\n");
      return 0;
    }
    io.stderr(parsed.out + "\n");
    return 1;
  }
  const config = parsed.config;
  if (config.version) {
    io.stdout(VERSION + "\n");
    return 0;
  }
  try {
    const setup = (await embedding.configure?.(config)) ?? {};
    for (const notice of setup.notices ?? []) io.stderr(`note: ${notice}\n`);
    const useStdin = !setup.documents && (config.files.length === 0 || (config.files.length === 1 && config.files[0] === "-"));
    if (useStdin && (io.stdinIsCharDevice?.() ?? false)) {
      io.stderr(logLine("failing to read data from stdin"));
      return 1;
    }
    if (!checkOutputFormat(config.outputFormat)) {
      io.stderr(OUTPUT_FORMAT_ERROR + "\n");
      return 1;
    }
    const options: Partial<ValidateOptions> = {
      schemaLocations: config.schemaLocations.length > 0 ? config.schemaLocations : [...(embedding.defaultSchemaLocations ?? [])],
      kubernetesVersion: config.kubernetesVersion,
      strict: config.strict,
      skipKinds: config.skipKinds,
      rejectKinds: config.rejectKinds,
      ignoreMissingSchemas: config.ignoreMissingSchemas,
      exitOnError: config.exitOnError,
      // kubeconform's -n: goroutines; here threads, at most one per core
      workers: Math.max(1, Math.min(config.numberOfWorkers, os.availableParallelism())),
      insecureSkipTlsVerify: config.skipTls,
      ...(config.cache ? { schemaCache: config.cache } : {}),
      ...(embedding.cacheDir ? { cacheDir: embedding.cacheDir } : {}),
      ...(setup.fallback ? { fallback: setup.fallback } : {}),
      ...setup.options,
    };
    const patterns = config.ignoreFilenamePatterns.map((p) => {
      try {
        return new RegExp(p);
      } catch (err) {
        throw new InputError(`error parsing regexp: ${(err as Error).message}`);
      }
    });
    const input: Input = setup.documents ? { documents: setup.documents } : { paths: useStdin ? ["-"] : config.files, ignoreFilenamePatterns: patterns, ...(io.stdin ? { stdin: io.stdin } : {}) };
    // Loaded here, not at start-up: -h, -v and usage errors stay fast.
    const [{ validateStream }, { newOutput }] = await Promise.all([import("./index.ts"), import("./output.ts")]);
    let buffered = "";
    const write = (text: string) => {
      buffered += text;
      if (buffered.length > 64 * 1024) {
        io.stdout(buffered);
        buffered = "";
      }
    };
    const output = newOutput(config.outputFormat, { summary: config.summary, verbose: config.verbose, stdin: useStdin }, write);
    const outcome = await validateStream(input, options, (r) => output.write(r));
    output.flush();
    if (buffered) io.stdout(buffered);
    // -debug is accepted and, as in kubeconform 0.7.0, changes nothing: its registries store the flag but
    // never read it (pkg/registry/http.go, local.go), and go-retryablehttp's logger is off (pkg/loader/http.go)
    for (const notice of outcome.notices) io.stderr(`note: ${notice}\n`);
    return outcome.failed ? 1 : 0;
  } catch (err) {
    io.stderr(`${err instanceof InputError ? err.format() : err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
