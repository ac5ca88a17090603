// Runs kustomize: the standalone binary when it is on PATH, otherwise kubectl's built-in copy.
import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { InputError } from "./cli.ts";
import { trackChild } from "./cleanup.ts";
import { buildKey, readCached, writeCached } from "./kustomize-cache.ts";

const run = promisify(execFile);

let cached: { cmd: string; args: string[] } | undefined;

async function onPath(cmd: string): Promise<boolean> {
  try {
    await run(cmd, ["version"], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export async function kustomizeCommand(): Promise<{ cmd: string; args: string[] }> {
  if (cached) return cached;
  const override = process.env.KUSTOMIZE;
  if (override) cached = { cmd: override, args: ["build"] };
  else if (await onPath("kustomize")) cached = { cmd: "kustomize", args: ["build"] };
  else cached = { cmd: "kubectl", args: ["kustomize"] };
  return cached;
}

let version: Promise<string> | undefined;

/** The tool's version output, part of every cache key (a kustomize upgrade invalidates the cache). */
function toolVersion(cmd: string): Promise<string> {
  version ??= run(cmd, cmd === "kubectl" ? ["version", "--client"] : ["version"], { timeout: 10_000 })
    .then(({ stdout }) => stdout.trim())
    .catch(() => "unknown");
  return version;
}

export interface BuildResult {
  yaml: string;
  /** Anything kustomize printed on stderr (deprecation warnings, for instance). */
  warnings: string;
}

/** `kustomize build <dir>`; a failure becomes an InputError naming the directory and kustomize's message. */
export async function kustomizeBuild(dir: string): Promise<BuildResult> {
  const { cmd, args } = await kustomizeCommand();
  // Cached by the content of every file the build reads (kustomize-cache.ts), warnings included.
  const key = buildKey(dir, `${cmd} ${args.join(" ")} ${await toolVersion(cmd)}`);
  const hit = key ? readCached(key) : undefined;
  if (hit !== undefined) return hit;
  try {
    const build = run(cmd, [...args, dir], { maxBuffer: 256 * 1024 * 1024 });
    trackChild(build.child); // killed if this process is interrupted first
    const { stdout, stderr } = await build;
    if (key) writeCached(key, { yaml: stdout, warnings: stderr });
    return { yaml: stdout, warnings: stderr };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") {
      throw new InputError(`cannot run ${cmd}: not installed`, { expected: "kustomize or kubectl on PATH" });
    }
    // The common case (an environment whose settings.yaml exists but was never generated) said plainly, not kustomize's log line.
    if (!["kustomization.yaml", "kustomization.yml", "Kustomization"].some((f) => fs.existsSync(path.join(dir, f)))) {
      throw new InputError("no kustomization.yaml", { file: path.relative(process.cwd(), dir) || dir, expected: "a generated overlay: run `npm run generate` first" });
    }
    const msg = (e.stderr ?? e.message).trim().split("\n").slice(-3).join(" ");
    throw new InputError(`kustomize build failed: ${msg}`, { file: dir });
  }
}
