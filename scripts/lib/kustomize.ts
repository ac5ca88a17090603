// Runs kustomize (kustomize-tool.ts: $KUSTOMIZE, the standalone binary on PATH, or kubectl's built-in copy).
import { InputError } from "./cli.ts";
import { trackChild } from "./cleanup.ts";
import { boundToParent, childTimeoutMs, executablePath, notFoundThroughWrapper } from "./child.ts";
import { kustomizeIdentity, kustomizeTool, type KustomizeTool } from "./kustomize-tool.ts";
import { buildKey, KUSTOMIZATION_FILES, readCached, writeCached } from "./kustomize-cache.ts";
const { spawn } = process.getBuiltinModule("node:child_process");
const { randomBytes } = process.getBuiltinModule("node:crypto");
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");

export interface BuildResult {
  yaml: string;
  /** Anything kustomize printed on stderr (deprecation warnings, for instance). */
  warnings: string;
}

/**
 * kustomize's message without kubectl's log prefix and with scratch folders replaced by the repository-relative
 * paths they mirror (`scratch`: the root of a scratch copy of the repository), so no temporary path is shown.
 */
export function kustomizeMessage(stderr: string, scratch?: string): string {
  let text = stderr.trim();
  // kubectl kustomize: E1201 16:20:25.860553  4801 run.go:72] "command failed" err="…"
  const klog = /\] "command failed" err="((?:[^"\\]|\\.)*)"/.exec(text);
  if (klog) {
    try {
      text = JSON.parse(`"${klog[1]}"`) as string;
    } catch {
      text = klog[1]!;
    }
  }
  text = text.replace(/^Error: /, "");
  if (scratch) {
    const roots = [scratch];
    try {
      roots.push(fs.realpathSync(scratch));
    } catch {
      // gone already
    }
    for (const r of roots.sort((a, b) => b.length - a.length)) text = text.split(`${r}/`).join("").split(r).join(".");
  }
  return text.split("\n").map((l) => l.trim()).filter(Boolean).slice(-3).join(" ");
}

/**
 * `kustomize build <dir>`; a failure becomes an InputError naming the directory and kustomize's message.
 * `root`: the repository `dir` lies in, or the scratch copy of it: messages then name repository-relative paths.
 */
export async function kustomizeBuild(dir: string, opts: { root?: string } = {}): Promise<BuildResult> {
  const { cmd, args, key } = keyed(dir);
  const hit = key ? readCached(key) : undefined;
  if (hit !== undefined) return hit;
  // The same inputs being built right now (the gate's render and the generator's verification, or a build
  // prefetchBuild started): one kustomize run serves both. A failure is not shared: each caller then runs its own
  // build, so its message names its own paths.
  const running = key ? inFlight.get(key) : undefined;
  if (running) {
    unclaimed.delete(key!);
    const shared = await running.catch(() => undefined);
    if (shared) return shared;
  }
  const build = runBuild(cmd, args, dir, opts);
  if (key && !running) share(key, build);
  return build;
}

/**
 * Starts `kustomize build dir` now, for a kustomizeBuild of the same inputs later, which then waits for it instead
 * of building (check starts every target's build while its own modules and the settings load). Only builds the
 * cache can key and has not stored (none whose files are missing, none with the cache off); a failure is reported
 * by that later build. Synchronous up to the start of kustomize. Returns the build's end (settled either way), or
 * undefined when nothing was started.
 */
export function prefetchBuild(dir: string): Promise<void> | undefined {
  let keyedBuild: ReturnType<typeof keyed>;
  try {
    keyedBuild = keyed(dir);
  } catch {
    return undefined; // unreadable: the later build reports it
  }
  const { cmd, args, key } = keyedBuild;
  if (!key || readCached(key) !== undefined || inFlight.has(key)) return undefined;
  const abort = new AbortController();
  unclaimed.set(key, abort);
  prefetchedKeys.set(path.resolve(dir), key);
  const build = runBuild(cmd, args, dir, { signal: abort.signal, background: true });
  share(key, build);
  return build.then(
    () => undefined,
    () => undefined,
  );
}

/** Prefetched builds no kustomizeBuild has asked for yet, by key. */
const unclaimed = new Map<string, AbortController>();

/** Stops the prefetched builds nobody asked for (the run stopped early: bad settings, say), so none outlives it. */
export function cancelPrefetches(): void {
  for (const abort of unclaimed.values()) abort.abort();
  unclaimed.clear();
  prefetchedKeys.clear();
}

/** The key of each folder's prefetched build, for cancelPrefetchesOf. */
const prefetchedKeys = new Map<string, string>();

/** Stops the prefetched builds of these folders that nobody has asked for yet (their output is not needed after all). */
export function cancelPrefetchesOf(dirs: readonly string[]): void {
  for (const dir of dirs) {
    const key = prefetchedKeys.get(path.resolve(dir));
    if (key === undefined) continue;
    prefetchedKeys.delete(path.resolve(dir));
    unclaimed.get(key)?.abort();
    unclaimed.delete(key);
  }
}

/** The tool, and the cache key of `dir`'s build (the tool's identity and every file the build reads: kustomize-cache.ts). */
function keyed(dir: string): KustomizeTool & { key?: string } {
  const { cmd, args } = kustomizeTool();
  return { cmd, args, key: buildKey(dir, `${cmd} ${args.join(" ")} ${kustomizeIdentity()}`) };
}

const inFlight = new Map<string, Promise<BuildResult>>();

function share(key: string, build: Promise<BuildResult>): void {
  inFlight.set(key, build);
  void build.then(
    (result) => {
      writeCached(key, result);
      inFlight.delete(key);
      unclaimed.delete(key);
    },
    () => {
      inFlight.delete(key);
      unclaimed.delete(key);
    },
  );
}

async function runBuild(cmd: string, args: string[], dir: string, opts: { root?: string; signal?: AbortSignal; background?: boolean }): Promise<BuildResult> {
  const shownDir = opts.root ? path.relative(opts.root, dir) || "." : dir;
  const timeout = childTimeoutMs();
  const [command, argv] = opts.background ? lowPriority(cmd, [...args, dir]) : [cmd, [...args, dir]];
  const e = await runToFile(command, argv, timeout, opts.signal);
  if (e.ok) return { yaml: e.stdout, warnings: e.stderr };
  if (e.code === "ENOENT" || notFoundThroughWrapper(e.code, e.stderr)) {
    throw new InputError(`cannot run ${cmd}: not installed`, { expected: "kustomize or kubectl on PATH" });
  }
  // The common case (an environment whose settings.yaml exists but was never generated) said plainly, not kustomize's log line.
  if (!KUSTOMIZATION_FILES.some((f) => fs.existsSync(path.join(dir, f)))) {
    throw new InputError("no kustomization.yaml", { file: shownDir, expected: "a generated overlay: run `npm run generate` first" });
  }
  if (e.timedOut) {
    throw new InputError(`kustomize build did not finish within ${timeout / 1000} s and was stopped`, { file: shownDir, expected: "a build that ends (MCP_STACK_CHILD_TIMEOUT raises the bound, in seconds)" });
  }
  throw new KustomizeBuildError(`kustomize build failed: ${kustomizeMessage(e.stderr || e.message, opts.root)}`, { file: shownDir });
}

/**
 * `nice -n 10 cmd args` where `nice` exists: a prefetched build yields the CPU to this process (which meanwhile loads
 * modules and plans, the work everything else waits for) and to the builds it asks for itself, instead of taking an
 * equal share of 2 cores with every other build in flight. It still takes any CPU nobody else wants.
 */
function lowPriority(cmd: string, args: string[]): readonly [string, string[]] {
  niceBinary ??= executablePath("nice") ?? "";
  return niceBinary ? [niceBinary, ["-n", "10", cmd, ...args]] : [cmd, args];
}
let niceBinary: string | undefined;

type ChildOutcome =
  | { ok: true; stdout: string; stderr: string }
  | { ok: false; code: unknown; stderr: string; message: string; timedOut: boolean };

/**
 * Runs `cmd args` with its standard output going to an unlinked temporary file rather than a pipe: a pipe holds 64 KB,
 * so a build would stop writing (and wait) until this process's event loop reads it, and the gate's event loop is
 * busy planning while the prefetched builds run; a file lets kustomize run to its end on the other core meanwhile.
 * The file is removed from its folder as soon as it is open (nothing is left behind however this process ends).
 */
async function runToFile(cmd: string, args: string[], timeout: number, signal?: AbortSignal): Promise<ChildOutcome> {
  const file = path.join(os.tmpdir(), `mcp-stack-kustomize-out-${process.pid}-${randomBytes(6).toString("hex")}`);
  const fd = fs.openSync(file, "wx+", 0o600); // it holds rendered Secrets: this user only
  let unlinked = false;
  try {
    fs.unlinkSync(file);
    unlinked = true;
  } catch {
    // a platform that cannot remove an open file: removed after reading
  }
  try {
    // Dies with this process, even when it is SIGKILLed (child.ts), and within a time bound.
    const child = boundToParent(cmd, args);
    const proc = spawn(child.cmd, child.args, { stdio: ["ignore", fd, "pipe"], env: kustomizeEnv(), killSignal: "SIGKILL", ...(signal ? { signal } : {}) });
    trackChild(proc); // killed if this process is interrupted first
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill("SIGKILL");
    }, timeout);
    const stderr: Buffer[] = [];
    proc.stderr!.on("data", (b: Buffer) => stderr.push(b));
    const outcome = await new Promise<{ code: unknown; signal: NodeJS.Signals | null; error?: NodeJS.ErrnoException }>((resolve) => {
      let error: NodeJS.ErrnoException | undefined;
      proc.once("error", (err: NodeJS.ErrnoException) => {
        error = err;
        if (proc.pid === undefined) resolve({ code: err.code, signal: null, error: err }); // never started
      });
      proc.once("close", (code, sig) => resolve({ code: error?.code === "ENOENT" ? "ENOENT" : code, signal: sig, ...(error ? { error } : {}) }));
    }).finally(() => clearTimeout(timer));
    const errText = Buffer.concat(stderr).toString("utf8");
    if (outcome.code === 0 && !outcome.error) return { ok: true, stdout: readAll(fd), stderr: errText };
    return { ok: false, code: outcome.code, stderr: errText, message: outcome.error?.message ?? `${cmd} exited ${outcome.code ?? outcome.signal}`, timedOut };
  } finally {
    fs.closeSync(fd);
    if (!unlinked) fs.rmSync(file, { force: true });
  }
}

/**
 * kustomize's environment: Go's collector at GOGC=800 and one OS thread running Go code (GOMAXPROCS=1), each unless
 * the caller set it. A build lives for a fraction of a second and its heap stays small (about 90 MB at Go's default
 * GOGC of 100, 135 MB at 800), so at the default it collects again and again; a build is single-threaded work, and
 * with more threads the runtime's idle ones spin looking for work (the gate runs a dozen builds at once on all the
 * cores anyway). Measured here, 4 overlays built in turn: GOGC=800 about 25-30 % less CPU than the default,
 * GOMAXPROCS=1 7-15 % less again. Output is unaffected.
 */
export function kustomizeEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (env.GOGC !== undefined && env.GOMAXPROCS !== undefined) return env;
  return { ...env, GOGC: env.GOGC ?? KUSTOMIZE_GO.GOGC, GOMAXPROCS: env.GOMAXPROCS ?? KUSTOMIZE_GO.GOMAXPROCS };
}
export const KUSTOMIZE_GO = { GOGC: "800", GOMAXPROCS: "1" } as const;

/** The whole file behind `fd`, read from its start (positional reads: the child moved the shared offset). */
function readAll(fd: number): string {
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.allocUnsafe(size);
  let read = 0;
  while (read < size) {
    const n = fs.readSync(fd, buf, read, size - read, read);
    if (n === 0) break;
    read += n;
  }
  return buf.toString("utf8", 0, read);
}

/** kustomize ran and refused the overlay (not: kustomize missing, no kustomization, the time bound): what tracing an extra can explain. */
export class KustomizeBuildError extends InputError {}
