// kubeconform's command line (pkg/config), parsed as Go's flag package does: `-flag` or `--flag`,
// `-flag=value` or `-flag value`, booleans only as `-flag` or `-flag=false`, the last value wins,
// and the first argument that is not a flag ends the flags (everything after it is a path).
// Callers can add flags of their own (`extraFlags`); they are listed after kubeconform's in -h.
import { OUTPUT_FORMATS, type OutputFormat } from "./output.ts";

export interface Config {
  cache: string;
  debug: boolean;
  exitOnError: boolean;
  files: string[];
  help: boolean;
  ignoreFilenamePatterns: string[];
  ignoreMissingSchemas: boolean;
  kubernetesVersion: string;
  numberOfWorkers: number;
  outputFormat: string;
  rejectKinds: string[];
  schemaLocations: string[];
  skipKinds: string[];
  skipTls: boolean;
  strict: boolean;
  summary: boolean;
  verbose: boolean;
  version: boolean;
  /** Values of the caller's extra flags, by name (booleans as "true"/"false"; repeatable ones joined by "\n"). */
  extra: Record<string, string[]>;
  /** Flags the command line set, by name: lets a caller tell a default from an explicit value. */
  set: Set<string>;
}

type Kind = "bool" | "string" | "int" | "list" | "version";

export interface FlagSpec {
  name: string;
  kind: Kind;
  usage: string;
  /** Shown as Go's PrintDefaults does: `(default master)`. */
  defaultText?: string;
}

// kubeconform 0.7.0's flags, in Go's PrintDefaults (alphabetical) order, usage texts verbatim.
const KUBECONFORM_FLAGS: FlagSpec[] = [
  { name: "cache", kind: "string", usage: "cache schemas downloaded via HTTP to this folder" },
  { name: "debug", kind: "bool", usage: "print debug information" },
  { name: "exit-on-error", kind: "bool", usage: "immediately stop execution when the first error is encountered" },
  { name: "h", kind: "bool", usage: "show help information" },
  { name: "ignore-filename-pattern", kind: "list", usage: "regular expression specifying paths to ignore (can be specified multiple times)" },
  { name: "ignore-missing-schemas", kind: "bool", usage: "skip files with missing schemas instead of failing" },
  {
    name: "insecure-skip-tls-verify",
    kind: "bool",
    usage: "disable verification of the server's SSL certificate. This will make your HTTPS connections insecure",
  },
  { name: "kubernetes-version", kind: "version", usage: "version of Kubernetes to validate against, e.g.: 1.18.0", defaultText: "master" },
  { name: "n", kind: "int", usage: "number of goroutines to run concurrently", defaultText: "4" },
  { name: "output", kind: "string", usage: "output format - json, junit, pretty, tap, text", defaultText: '"text"' },
  { name: "reject", kind: "string", usage: "comma-separated list of kinds or GVKs to reject" },
  { name: "schema-location", kind: "list", usage: "override schemas location search path (can be specified multiple times)" },
  { name: "skip", kind: "string", usage: "comma-separated list of kinds or GVKs to ignore" },
  { name: "strict", kind: "bool", usage: "disallow additional properties not in schema or duplicated keys" },
  { name: "summary", kind: "bool", usage: "print a summary at the end (ignored for junit output)" },
  { name: "v", kind: "bool", usage: "show version information" },
  { name: "verbose", kind: "bool", usage: "print results for all resources (ignored for tap and junit output)" },
];

/** Go's flag.PrintDefaults for these flags. */
export function printDefaults(flags: readonly FlagSpec[]): string {
  let out = "";
  for (const f of flags) {
    const type = f.kind === "bool" ? "" : f.kind === "int" ? " int" : f.kind === "string" ? " string" : " value";
    let line = `  -${f.name}${type}`;
    line += line.length <= 4 ? "\t" : "\n    \t"; // one-letter names without a type stay on the line
    line += f.usage.replace(/\n/g, "\n    \t");
    if (f.defaultText !== undefined) line += ` (default ${f.defaultText})`;
    out += line + "\n";
  }
  return out;
}

export function usage(progName: string, extraFlags: readonly FlagSpec[] = [], extraText = ""): string {
  let text = `Usage: ${progName} [OPTION]... [FILE OR FOLDER]...\n` + printDefaults(KUBECONFORM_FLAGS);
  if (extraFlags.length > 0) text += `\nAlso (not kubeconform's):\n` + printDefaults(extraFlags);
  return text + extraText;
}

export type ParseOutcome =
  | { ok: true; config: Config }
  /** `out` is what kubeconform prints: to stdout with exit 0 for -h, else to stderr with exit 1. */
  | { ok: false; config: Config; out: string };

/** Go's strconv.ParseBool. */
function parseBool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}

/** Go's strconv.ParseInt(s, 0, 64) as flag.IntVar uses it (0x, 0o, 0b, leading-0 octal, underscores). */
function parseGoInt(value: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(value);
  if (!m) return undefined;
  const body = m[2]!;
  if (/__|_$|^_/.test(body) || (body.includes("_") && !/^0[xXbBoO]?/.test(body) && false)) return undefined;
  const digits = body.replace(/_/g, "");
  let n: number;
  if (/^0[xX]/.test(digits)) n = parseInt(digits.slice(2), 16);
  else if (/^0[bB]/.test(digits)) n = parseInt(digits.slice(2), 2);
  else if (/^0[oO]/.test(digits)) n = parseInt(digits.slice(2), 8);
  else if (digits.length > 1 && digits.startsWith("0")) n = parseInt(digits.slice(1), 8);
  else n = parseInt(digits, 10);
  if (!Number.isSafeInteger(n)) return undefined;
  return m[1] === "-" ? -n : n;
}

const VERSION = /^(master|\d+\.\d+\.\d+)$/;

function splitCsv(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((k) => k.trim()).filter((k) => k.length > 0);
}

export function parseFlags(progName: string, args: readonly string[], extraFlags: readonly FlagSpec[] = [], extraText = ""): ParseOutcome {
  const specs = new Map<string, FlagSpec>([...KUBECONFORM_FLAGS, ...extraFlags].map((f) => [f.name, f]));
  const raw = new Map<string, string[]>();
  const set = new Set<string>();
  let files: string[] = [];
  let failure: string | undefined;
  let helpRequested = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.length < 2 || arg[0] !== "-") {
      files = args.slice(i);
      break;
    }
    let name = arg.slice(1);
    if (name[0] === "-") {
      name = name.slice(1);
      if (name.length === 0) {
        files = args.slice(i + 1); // "--" ends the flags
        break;
      }
    }
    if (name.length === 0 || name[0] === "-" || name[0] === "=") {
      failure = `bad flag syntax: ${arg}`;
      break;
    }
    let value: string | undefined;
    const eq = name.indexOf("=");
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const spec = specs.get(name);
    if (!spec) {
      if (name === "help" || name === "h") {
        helpRequested = true; // Go's flag.ErrHelp: usage, then exit 1 (kubeconform's -h is the flag that exits 0)
        failure = "";
        break;
      }
      failure = `flag provided but not defined: -${name}`;
      break;
    }
    if (spec.kind === "bool") {
      const parsed = value === undefined ? true : parseBool(value);
      if (parsed === undefined) {
        failure = `invalid boolean value "${value}" for -${name}: parse error`;
        break;
      }
      raw.set(name, [String(parsed)]);
    } else {
      if (value === undefined) {
        if (i + 1 >= args.length) {
          failure = `flag needs an argument: -${name}`;
          break;
        }
        value = args[++i]!;
      }
      if (spec.kind === "int" && parseGoInt(value) === undefined) {
        failure = `invalid value "${value}" for flag -${name}: parse error`;
        break;
      }
      if (spec.kind === "version" && !VERSION.test(value)) {
        failure = `invalid value "${value}" for flag -${name}: ${value} is not a valid version. Valid values are "master" (default) or full version x.y.z (e.g. "1.27.2")`;
        break;
      }
      raw.set(name, spec.kind === "list" ? [...(raw.get(name) ?? []), value] : [value]);
    }
    set.add(name);
  }
  const last = (name: string) => raw.get(name)?.at(-1);
  const bool = (name: string) => last(name) === "true";
  const extra: Record<string, string[]> = {};
  for (const f of extraFlags) if (raw.has(f.name)) extra[f.name] = raw.get(f.name)!;
  const config: Config = {
    cache: last("cache") ?? "",
    debug: bool("debug"),
    exitOnError: bool("exit-on-error"),
    files,
    help: bool("h"),
    ignoreFilenamePatterns: raw.get("ignore-filename-pattern") ?? [],
    ignoreMissingSchemas: bool("ignore-missing-schemas"),
    kubernetesVersion: last("kubernetes-version") ?? "master",
    numberOfWorkers: parseGoInt(last("n") ?? "4") ?? 4,
    outputFormat: last("output") ?? "text",
    rejectKinds: splitCsv(raw.has("reject") ? [last("reject")!] : []),
    schemaLocations: raw.get("schema-location") ?? [],
    skipKinds: splitCsv(raw.has("skip") ? [last("skip")!] : []),
    skipTls: bool("insecure-skip-tls-verify"),
    strict: bool("strict"),
    summary: bool("summary"),
    verbose: bool("verbose"),
    version: bool("v"),
    extra,
    set,
  };
  const text = usage(progName, extraFlags, extraText);
  if (failure !== undefined) return { ok: false, config, out: (failure ? failure + "\n" : "") + text };
  if (helpRequested) return { ok: false, config, out: text };
  if (config.help) return { ok: false, config, out: text };
  return { ok: true, config };
}

/** output.New's check, made before any input is read. */
export function checkOutputFormat(format: string): format is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(format);
}
export const OUTPUT_FORMAT_ERROR = "'outputFormat' must be 'json', 'junit', 'pretty', 'tap' or 'text'";
