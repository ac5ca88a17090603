// What the three cluster commands share: --context and --output, progress while checks run, the summary
// at the end, and the one-line message when kubectl is missing or the cluster cannot be reached.
import { EXIT, UsageError } from "../lib/cli.ts";
import { ClusterUnavailable, connect, Kubectl, type KubectlExec, type ServerVersion } from "./kubectl.ts";
import { exitCode, formatJson, formatText, progressLine, type Report, type Result } from "./report.ts";
import { loadTarget, type Target } from "./target.ts";
import type { Settings } from "../settings/schema.ts";

export type Output = "text" | "json";

export const COMMON_OPTIONS = {
  context: { type: "string" },
  output: { type: "string", short: "o", default: "text" },
} as const;

export function parseOutput(value: string | undefined): Output {
  if (value === undefined || value === "text" || value === "json") return value ?? "text";
  throw new UsageError(`--output ${value}: expected text or json`);
}

export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const PROCESS_IO: CommandIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

/**
 * What a command's main() takes from its surroundings; each defaults to the real thing. Tests pass an
 * in-process kubectl, pre-rendered targets and captured output, so they need not spawn processes.
 */
export interface ClusterDeps {
  /** Runs one kubectl call (default: a child process). */
  exec?: KubectlExec;
  /** Renders an environment from its settings (default: loadTarget, i.e. kustomize build of the overlay). */
  loadTarget?: (env: string | undefined, settings: Settings) => Promise<Target>;
  io?: CommandIo;
}

/** The Kubectl for --context (or the current context), running calls through deps.exec when given. */
export function kubectlFor(context: string | undefined, deps: ClusterDeps = {}): Kubectl {
  return new Kubectl({ ...(context ? { context } : {}), ...(deps.exec ? { exec: deps.exec } : {}) });
}

export const targetLoader = (deps: ClusterDeps = {}): ((env: string | undefined, settings: Settings) => Promise<Target>) =>
  deps.loadTarget ?? ((env, settings) => loadTarget(env, settings));

/**
 * Connects, runs `body` with a progress callback, prints the report. kubectl missing or the cluster
 * unreachable (before or during the run) ends in one line and exit 1; JSON output says the same in `error`.
 */
export async function runClusterCommand(
  base: Omit<Report, "results" | "context">,
  k: Kubectl,
  output: Output,
  body: (conn: { context: string; server: ServerVersion }, progress: (r: Result) => void) => Promise<Result[]>,
  io: CommandIo = PROCESS_IO,
  /** What to do instead when no cluster is reachable (teardown --dry-run: the plan alone); default: fail. */
  offline?: (progress: (r: Result) => void) => Promise<Result[]>,
): Promise<number> {
  const report: Report = { ...base, results: [] };
  // Progress goes to stdout for text and to stderr for JSON, so the JSON on stdout stays parseable.
  const progressOut = output === "json" ? io.stderr : io.stdout;
  try {
    const conn = await connect(k);
    report.context = conn.context;
    progressOut(`${base.command}${base.env ? ` ${base.env}` : ""}: context ${conn.context}, server ${conn.server.git}${base.namespace ? `, namespace ${base.namespace}` : ""}\n`);
    report.results = await body(conn, (r) => progressOut(progressLine(r) + "\n"));
  } catch (err) {
    if (!(err instanceof ClusterUnavailable)) throw err;
    if (offline && !report.context) {
      progressOut(`${base.command}${base.env ? ` ${base.env}` : ""}: no cluster (${err.message}): from the rendered overlay alone${base.namespace ? `, namespace ${base.namespace}` : ""}\n`);
      report.results = await offline((r) => progressOut(progressLine(r) + "\n"));
      io.stdout(output === "json" ? formatJson(report) : formatText(report));
      return exitCode(report);
    }
    report.error = err.message;
    if (output === "json") io.stdout(formatJson(report));
    else io.stderr(`error: ${err.message}\n`);
    return EXIT.findings;
  }
  io.stdout(output === "json" ? formatJson(report) : formatText(report));
  return exitCode(report);
}
