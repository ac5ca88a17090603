// Shared test plumbing: repository paths, the offline schemas, and running the CLI.
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { scratchDir } from "../helpers/scratch.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The schemas shipped in the repository (kubeconform layout plus the crds/ catalogue). */
export const schemasDir = path.resolve(repoRoot, "schemas");
export const crdsTemplate = `${schemasDir}/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`;
export const fixtures = path.join(repoRoot, "test/validate/fixtures");
export const fixture = (name: string) => path.join(fixtures, name);

/** Compiled validators are shared by all validate tests (and warm after the first run). */
export const testCacheDir = path.join(os.tmpdir(), "mcp-validate-test-cache");

/** A new empty folder, removed when the test file ends. */
export function tempDir(): string {
  return scratchDir("mcp-validate-test-");
}

export interface CliRun {
  status: number | null;
  /** Set when the child was killed by a signal (then status is null). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * How a run ended, for assertion messages, so a failure explains itself. Exit 13 with no output
 * is Node's "unsettled top-level await": the event loop emptied while main() was still waiting.
 */
export function describeRun(run: CliRun): string {
  const tail = (text: string) => (text.length > 400 ? `...${text.slice(-400)}` : text);
  return `exit status ${run.status}, signal ${run.signal}, stdout ${run.stdout.length} chars, stderr: ${JSON.stringify(tail(run.stderr))}`;
}

export function runCli(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const run = spawnSync(process.execPath, [path.join(repoRoot, "scripts/validate.ts"), ...args], {
    cwd: repoRoot,
    input: opts.input ?? "",
    encoding: "utf8",
    env: { ...process.env, MCP_STACK_CACHE: testCacheDir, NO_COLOR: "1", ...opts.env },
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}

/**
 * `npm run validate` in-process: scripts/validate.ts's main(argv, io) with the project's defaults, the compiled
 * validators in testCacheDir and `input` as standard input. Same result shape as runCli (no signal in-process).
 */
export async function runValidate(args: string[], opts: { input?: string } = {}): Promise<CliRun> {
  const [{ main }, { wholeBuffer }] = await Promise.all([import("../../scripts/validate.ts"), import("../../packages/validate/src/reader.ts")]);
  let stdout = "";
  let stderr = "";
  const status = await main(
    args,
    { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdinIsCharDevice: () => false, stdin: wholeBuffer(Buffer.from(opts.input ?? "")) },
    { cacheDir: testCacheDir },
  );
  return { status, signal: null, stdout, stderr };
}
