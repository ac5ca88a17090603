// Command-line options: ours (--flag) and kubeconform's (-flag), so a kubeconform command line can
// be pasted as is. Go's `-strict=false` form is accepted for booleans.
import { parseCli, UsageError } from "../lib/cli.ts";
import { OUTPUT_FORMATS, type OutputFormat } from "./outputs.ts";
import { DEFAULT_KUBERNETES_VERSION } from "./engine.ts";
import type { ValidateOptions } from "./types.ts";

export const USAGE = `Usage: npm run validate -- [options] [PATH|-]...

Validates Kubernetes manifests against JSON schemas, offline, with kubeconform's verdicts.
PATH is a file or a directory (searched recursively for .yaml, .yml and .json); - reads standard
input. With no PATH, every overlay under overlays/ is rendered with kustomize and validated.

Options (kubeconform's single-dash spelling works too, e.g. -schema-location):
  --schema-location LOC       where schemas are; repeatable, first match wins. A directory gets
                              {{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json
                              appended; a location ending in .json is a template; http(s) is fetched
                              once and cached. Default: the repository's schemas/ folder and
                              its crds/ catalogue, or $MCP_STACK_SCHEMAS (a folder of that layout).
  --kubernetes-version VER    master or x.y.z (default ${DEFAULT_KUBERNETES_VERSION})
  --strict / --no-strict      unknown fields and duplicate keys are errors (default on; also --strict=false)
  --skip KINDS                comma-separated Kinds or GVKs (apps/v1/Deployment) to skip
  --reject KINDS              comma-separated Kinds or GVKs that are errors
  --ignore-missing-schemas    a resource without schema is skipped instead of an error
  --ignore-filename-pattern RE  skip files whose path matches; repeatable
  --output, -o FORMAT         text (default), json, junit or tap
  --summary                   print the counts at the end
  --verbose                   also list valid and skipped resources
  --semantic                  also apply the API server's semantic rules (names, labels, images, CIDRs,
                              ports, quantities, cron schedules, time zones); default off, so the
                              verdicts stay identical to kubeconform's
  --engine ENGINE             builtin (default) or kubeconform (a kubeconform binary on PATH or in $KUBECONFORM)
  -n, --workers N             threads to use (default: all cores)
  --cache DIR                 cache for compiled validators and downloaded schemas
  -h, --help                  this help

Exit codes: 0 all valid, 1 any invalid or error, 2 usage errors.
`;

const OPTIONS = {
  "schema-location": { type: "string", multiple: true },
  "kubernetes-version": { type: "string" },
  strict: { type: "boolean" },
  "no-strict": { type: "boolean" },
  skip: { type: "string", multiple: true },
  reject: { type: "string", multiple: true },
  "ignore-missing-schemas": { type: "boolean" },
  "ignore-filename-pattern": { type: "string", multiple: true },
  output: { type: "string", short: "o" },
  summary: { type: "boolean" },
  verbose: { type: "boolean" },
  engine: { type: "string" },
  workers: { type: "string", short: "n" },
  cache: { type: "string" },
  semantic: { type: "boolean" },
} as const;

const BOOLEANS = new Set(["strict", "summary", "verbose", "ignore-missing-schemas", "semantic"]);
const LONG_NAMES = new Set([...Object.keys(OPTIONS), "help"]);

export interface CliRequest {
  paths: string[];
  options: Partial<ValidateOptions>;
  ignoreFilenamePatterns: RegExp[];
  output: OutputFormat;
  summary: boolean;
  verbose: boolean;
  engine: "builtin" | "kubeconform";
}

/** `-schema-location x` → `--schema-location x`; `-strict=false` → `--no-strict`. */
export function normalizeArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const m = /^--?([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!m || !LONG_NAMES.has(m[1]!) || (arg.startsWith("-") && !arg.startsWith("--") && m[1]!.length === 1)) {
      out.push(arg);
      continue;
    }
    const [, name, value] = m as unknown as [string, string, string | undefined];
    if (BOOLEANS.has(name) && value !== undefined) {
      if (!/^(true|false|1|0)$/.test(value)) throw new UsageError(`invalid boolean value "${value}" for -${name}`);
      const on = value === "true" || value === "1";
      if (on) out.push(`--${name}`);
      else if (name === "strict") out.push("--no-strict");
      continue;
    }
    out.push(value === undefined ? `--${name}` : `--${name}=${value}`);
  }
  return out;
}

export function parseValidateArgs(argv: readonly string[]): CliRequest {
  const { values, positionals } = parseCli(normalizeArgs(argv), OPTIONS, USAGE);
  const output = (values.output ?? "text") as OutputFormat;
  if (!OUTPUT_FORMATS.includes(output)) throw new UsageError(`-output must be one of ${OUTPUT_FORMATS.join(", ")}, not "${values.output}"`);
  const engine = values.engine ?? "builtin";
  if (engine !== "builtin" && engine !== "kubeconform") throw new UsageError(`--engine must be builtin or kubeconform, not "${engine}"`);
  const options: Partial<ValidateOptions> = {
    schemaLocations: values["schema-location"] ?? [],
    strict: values["no-strict"] ? false : (values.strict ?? true),
    skipKinds: commaList(values.skip),
    rejectKinds: commaList(values.reject),
    ignoreMissingSchemas: values["ignore-missing-schemas"] ?? false,
    semantic: values.semantic ?? false,
  };
  if (values["kubernetes-version"] !== undefined) options.kubernetesVersion = values["kubernetes-version"];
  if (values.cache !== undefined) options.cacheDir = values.cache;
  if (values.workers !== undefined) {
    const n = Number(values.workers);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`-n must be a positive integer, not "${values.workers}"`);
    options.workers = n;
  }
  return {
    paths: positionals,
    options,
    ignoreFilenamePatterns: (values["ignore-filename-pattern"] ?? []).map(toRegExp),
    output,
    summary: values.summary ?? false,
    verbose: values.verbose ?? false,
    engine,
  };
}

function commaList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(",")).filter((v) => v !== "");
}

function toRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new UsageError(`invalid -ignore-filename-pattern "${pattern}": ${(err as Error).message}`);
  }
}
