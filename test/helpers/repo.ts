// Test helpers: a throwaway copy of the repository (tracked files + the working tree's changes), so tests
// that generate, edit or break files never touch the real tree.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { REPO_ROOT } from "../../scripts/lib/paths.ts";

export { REPO_ROOT };

/** Copies every tracked and untracked-but-not-ignored file into a temp dir; node_modules is symlinked. */
export function copyRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-stack-test-"));
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: REPO_ROOT })
    .toString()
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    const from = path.join(REPO_ROOT, f);
    if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue;
    const to = path.join(dir, f);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/** Runs one of our CLIs with node (type stripping); returns exit code and output. */
export function runCli(script: string, args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}) {
  const cwd = opts.cwd ?? REPO_ROOT;
  // `node script.ts` is what `npm run` runs, without its extra process.
  const res = spawnSync(process.execPath, [path.join(cwd, script), ...args], {
    cwd,
    input: opts.input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}
