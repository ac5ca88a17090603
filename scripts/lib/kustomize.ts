// Runs kustomize: the standalone binary when it is on PATH, otherwise kubectl's built-in copy.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { InputError } from "./cli.ts";
import { trackChild } from "./cleanup.ts";
import { boundToParent, childTimeoutMs, notFoundThroughWrapper } from "./child.ts";
import { buildKey, readCached, writeCached } from "./kustomize-cache.ts";

const run = promisify(execFile);

/** The tool found, per KUSTOMIZE and PATH (a process that changes them, a test say, gets the tool they name). */
let cached: { for: string; tool: { cmd: string; args: string[] } } | undefined;

async function onPath(cmd: string): Promise<boolean> {
  try {
    await run(cmd, ["version"], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export async function kustomizeCommand(): Promise<{ cmd: string; args: string[] }> {
  const override = process.env.KUSTOMIZE;
  const key = `${override ?? ""}\0${process.env.PATH ?? ""}`;
  if (cached?.for === key) return cached.tool;
  const tool = override ? { cmd: override, args: ["build"] } : (await onPath("kustomize")) ? { cmd: "kustomize", args: ["build"] } : { cmd: "kubectl", args: ["kustomize"] };
  cached = { for: key, tool };
  return tool;
}

const versions = new Map<string, Promise<string>>();

/** The tool's version output, part of every cache key (a kustomize upgrade invalidates the cache). */
function toolVersion(cmd: string): Promise<string> {
  let version = versions.get(cmd);
  if (!version) {
    version = run(cmd, cmd === "kubectl" ? ["version", "--client"] : ["version"], { timeout: 10_000 })
      .then(({ stdout }) => stdout.trim())
      .catch(() => "unknown");
    versions.set(cmd, version);
  }
  return version;
}

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
  const { cmd, args } = await kustomizeCommand();
  // Cached by the content of every file the build reads (kustomize-cache.ts), warnings included.
  const key = buildKey(dir, `${cmd} ${args.join(" ")} ${await toolVersion(cmd)}`);
  const hit = key ? readCached(key) : undefined;
  if (hit !== undefined) return hit;
  // The same inputs being built right now (the gate's render and the generator's verification start together):
  // one kustomize run serves both. A failure is not shared: each caller then runs its own build, so its message
  // names its own paths.
  const running = key ? inFlight.get(key) : undefined;
  if (running) {
    const shared = await running.catch(() => undefined);
    if (shared) return shared;
  }
  const build = runBuild(cmd, args, dir, opts);
  if (key && !running) {
    inFlight.set(key, build);
    void build.then(
      (result) => {
        writeCached(key, result);
        inFlight.delete(key);
      },
      () => inFlight.delete(key),
    );
  }
  return build;
}

const inFlight = new Map<string, Promise<BuildResult>>();

async function runBuild(cmd: string, args: string[], dir: string, opts: { root?: string }): Promise<BuildResult> {
  const shownDir = opts.root ? path.relative(opts.root, dir) || "." : dir;
  const timeout = childTimeoutMs();
  try {
    // Dies with this process, even when it is SIGKILLed (child.ts), and within a time bound.
    const child = boundToParent(cmd, [...args, dir]);
    const build = run(child.cmd, child.args, { maxBuffer: 256 * 1024 * 1024, timeout, killSignal: "SIGKILL" });
    trackChild(build.child); // killed if this process is interrupted first
    const { stdout, stderr } = await build;
    return { yaml: stdout, warnings: stderr };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; killed?: boolean; signal?: string; code?: unknown };
    if (e.code === "ENOENT" || notFoundThroughWrapper(e.code, e.stderr ?? "")) {
      throw new InputError(`cannot run ${cmd}: not installed`, { expected: "kustomize or kubectl on PATH" });
    }
    // The common case (an environment whose settings.yaml exists but was never generated) said plainly, not kustomize's log line.
    if (!["kustomization.yaml", "kustomization.yml", "Kustomization"].some((f) => fs.existsSync(path.join(dir, f)))) {
      throw new InputError("no kustomization.yaml", { file: shownDir, expected: "a generated overlay: run `npm run generate` first" });
    }
    if (e.killed && e.signal === "SIGKILL") {
      throw new InputError(`kustomize build did not finish within ${timeout / 1000} s and was stopped`, { file: shownDir, expected: "a build that ends (MCP_STACK_CHILD_TIMEOUT raises the bound, in seconds)" });
    }
    throw new InputError(`kustomize build failed: ${kustomizeMessage(e.stderr || e.message, opts.root)}`, { file: shownDir });
  }
}
