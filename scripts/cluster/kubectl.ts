// Runs kubectl against one kube-context and parses its JSON. Two failures end a command in one line,
// never a stack trace: kubectl is not installed (ENOENT), or the cluster cannot be reached. Everything
// else (NotFound, Forbidden, a non-zero exit) is returned to the caller, which turns it into a verdict.
import { boundToParent, notFoundThroughWrapper } from "../lib/child.ts";
import { trackChild } from "../lib/cleanup.ts";
const { execFile } = process.getBuiltinModule("node:child_process");

/** kubectl is missing or the cluster is unreachable: the command cannot go on. */
export class ClusterUnavailable extends Error {
  readonly reason: "kubectl-missing" | "unreachable" | "no-context";
  constructor(message: string, reason: "kubectl-missing" | "unreachable" | "no-context") {
    super(message);
    this.reason = reason;
    this.name = "ClusterUnavailable";
  }
}

export interface KubectlResult {
  ok: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/** What one kubectl process printed and its exit code. */
export interface ExecOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one kubectl process: `bin` with the full `argv` (global flags included) and the extra `env`.
 * Resolves with the outcome whatever the exit code; rejects with an ENOENT error (`code: "ENOENT"`)
 * when the executable does not exist. Kubectl classifies the outcome (missing, unreachable, verdict).
 */
export type KubectlExec = (bin: string, argv: string[], env: NodeJS.ProcessEnv | undefined) => Promise<ExecOutcome>;

/** The real runner: a child process per call. */
export const execKubectl: KubectlExec = (bin, argv, env) =>
  new Promise((resolve, reject) => {
    // Dies with this process, even when it is SIGKILLed (child.ts), and within a time bound.
    const { cmd, args } = boundToParent(bin, argv);
    const child = execFile(
      cmd,
      args,
      { env: env ? { ...process.env, ...env } : process.env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000, killSignal: "SIGKILL" },
      (err, stdout, stderr) => {
        if (err && ((err as NodeJS.ErrnoException).code === "ENOENT" || notFoundThroughWrapper(err.code, String(stderr)))) {
          reject(Object.assign(new Error(`${bin}: not found`), { code: "ENOENT" }));
          return;
        }
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    trackChild(child);
  });

export interface KubectlOptions {
  /** The kubectl executable: $KUBECTL, else `kubectl` on PATH. Tests inject a stand-in here. */
  bin?: string;
  /** Runs one call (default: a child process, execKubectl). Tests answer in-process with it. */
  exec?: KubectlExec;
  /** --context NAME, passed to every call; unset = the current context. */
  context?: string;
  /** Extra environment for the child (tests point their stand-in at a scenario with it). */
  env?: NodeJS.ProcessEnv;
  /** --request-timeout for each call. */
  requestTimeout?: string;
}

const UNREACHABLE = [
  /Unable to connect to the server/i,
  /The connection to the server .* was refused/i,
  /connection refused/i,
  /no such host/i,
  /i\/o timeout/i,
  /TLS handshake timeout/i,
  /couldn't get current server API group list/i,
  /the server has asked for the client to provide credentials/i,
  /Client\.Timeout exceeded/i,
  /context deadline exceeded/i,
  /dial tcp/i,
];

const NO_CONTEXT = [/context "[^"]*" does not exist/i, /current-context is not set/i, /no configuration has been provided/i];

/** The first line of kubectl's stderr worth showing (drops the `E0101 ... memcache.go` noise). */
export function firstLine(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const useful = lines.filter((l) => !/^[EWI]\d{4} /.test(l));
  return (useful.at(-1) ?? lines.at(-1) ?? "").slice(0, 300);
}

export function isNotFound(r: KubectlResult): boolean {
  return !r.ok && /\(NotFound\)|not found|the server doesn't have a resource type/i.test(r.stderr);
}

export class Kubectl {
  readonly bin: string;
  readonly context?: string;
  /** Every argv this instance ran, without the --context/--request-timeout it adds (for logs and tests). */
  readonly calls: string[][] = [];
  private readonly env?: NodeJS.ProcessEnv;
  private readonly requestTimeout: string;
  private readonly exec: KubectlExec;

  constructor(options: KubectlOptions = {}) {
    this.bin = options.bin ?? (process.env.KUBECTL || "kubectl");
    this.exec = options.exec ?? execKubectl;
    this.context = options.context;
    this.env = options.env;
    this.requestTimeout = options.requestTimeout ?? "20s";
  }

  /** The full argv of one call: the context and the request timeout go in front of the subcommand. */
  argv(args: string[]): string[] {
    const global = [...(this.context ? ["--context", this.context] : []), `--request-timeout=${this.requestTimeout}`];
    return [...global, ...args];
  }

  /** Runs kubectl; resolves with its outcome. Rejects only with ClusterUnavailable. */
  async run(args: string[]): Promise<KubectlResult> {
    this.calls.push(args);
    let out: ExecOutcome;
    try {
      out = await this.exec(this.bin, this.argv(args), this.env);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        throw new ClusterUnavailable(
          `${this.bin} not found: install kubectl (https://kubernetes.io/docs/tasks/tools/) or set KUBECTL=/path/to/kubectl`,
          "kubectl-missing",
        );
      }
      throw err;
    }
    const result = { ok: out.code === 0, ...out };
    if (!result.ok && NO_CONTEXT.some((re) => re.test(result.stderr))) {
      throw new ClusterUnavailable(`${this.where()}: ${firstLine(result.stderr)}`, "no-context");
    }
    // "Error from server" means the API server answered (a proxied pod refusing is a verdict, not an outage).
    if (!result.ok && !/Error from server/.test(result.stderr) && UNREACHABLE.some((re) => re.test(result.stderr))) {
      throw new ClusterUnavailable(`cannot reach the cluster of ${this.where()}: ${firstLine(result.stderr)}`, "unreachable");
    }
    return result;
  }

  /** `kubectl get <what> -o json`: the object, null when it does not exist, an Error for anything else. */
  async getJson<T = KubeJson>(args: string[]): Promise<T | null> {
    const r = await this.run(["get", ...args, "-o", "json"]);
    if (isNotFound(r)) return null;
    if (!r.ok) throw new KubectlFailed(args, r);
    return parseJson<T>(r.stdout, args);
  }

  /** `kubectl get <kind> [-n ns]`: the items of a list (empty when the kind is unknown to the server). */
  async list<T = KubeJson>(args: string[]): Promise<T[]> {
    const r = await this.run(["get", ...args, "-o", "json"]);
    if (isNotFound(r)) return [];
    if (!r.ok) throw new KubectlFailed(args, r);
    return parseJson<{ items?: T[] }>(r.stdout, args).items ?? [];
  }

  /** `kubectl auth can-i VERB RESOURCE [-n ns]`: yes or no (kubectl exits 1 for "no"). */
  async canI(verb: string, resource: string, namespace?: string): Promise<boolean> {
    const r = await this.run(["auth", "can-i", verb, resource, ...(namespace ? ["-n", namespace] : [])]);
    return r.stdout.trim().startsWith("yes");
  }

  /** `kubectl get --raw PATH`: the body, or the failure. */
  raw(path: string): Promise<KubectlResult> {
    return this.run(["get", "--raw", path]);
  }

  where(): string {
    return this.context ? `context "${this.context}"` : "the current context";
  }
}

export type KubeJson = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; generation?: number; uid?: string };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
};

/** kubectl answered, but not with success: a verdict can quote it. */
export class KubectlFailed extends Error {
  readonly args: string[];
  readonly result: KubectlResult;
  constructor(args: string[], result: KubectlResult) {
    super(`kubectl ${args.join(" ")}: ${firstLine(result.stderr) || `exit ${result.code}`}`);
    this.args = args;
    this.result = result;
    this.name = "KubectlFailed";
  }
}

function parseJson<T>(text: string, args: string[]): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new KubectlFailed(args, { ok: false, code: 0, stdout: text, stderr: "kubectl did not print JSON" });
  }
}

/** Server version from `kubectl version -o json`, e.g. { major: 1, minor: 29, git: "v1.29.3-eks-..." }. */
export interface ServerVersion {
  major: number;
  minor: number;
  git: string;
}

export function parseServerVersion(json: unknown): ServerVersion | undefined {
  const v = (json as { serverVersion?: { major?: string; minor?: string; gitVersion?: string } } | null)?.serverVersion;
  if (!v) return undefined;
  const fromGit = /^v?(\d+)\.(\d+)/.exec(v.gitVersion ?? "");
  const major = Number.parseInt(v.major ?? fromGit?.[1] ?? "", 10);
  const minor = Number.parseInt(v.minor ?? fromGit?.[2] ?? "", 10); // EKS/GKE report minor as "29+"
  if (!Number.isFinite(major) || !Number.isFinite(minor)) return undefined;
  return { major, minor, git: v.gitVersion ?? `v${major}.${minor}` };
}

/**
 * Connects: the context exists and names a cluster, kubectl runs, the API server answers. Returns the
 * context name and the server version; throws ClusterUnavailable (one line) otherwise.
 */
export async function connect(k: Kubectl): Promise<{ context: string; server: ServerVersion }> {
  let context = k.context;
  if (!context) {
    const r = await k.run(["config", "current-context"]);
    context = r.stdout.trim();
    if (!r.ok || !context) {
      throw new ClusterUnavailable(
        `no kube-context: ${firstLine(r.stderr) || "current-context is not set"} (kubectl config use-context NAME, or pass --context NAME)`,
        "no-context",
      );
    }
  }
  const r = await k.run(["version", "-o", "json"]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    parsed = undefined;
  }
  const server = parseServerVersion(parsed);
  if (!server) {
    throw new ClusterUnavailable(
      `cannot reach the cluster of context "${context}": ${firstLine(r.stderr) || "kubectl version printed no server version"}`,
      "unreachable",
    );
  }
  return { context, server };
}

/** A status condition of an object by type. */
export function conditionOf(o: KubeJson, type: string): { status?: string; reason?: string; message?: string } | undefined {
  const conditions = (o.status?.conditions ?? []) as { type?: string; status?: string; reason?: string; message?: string }[];
  return conditions.find((c) => c.type === type);
}
