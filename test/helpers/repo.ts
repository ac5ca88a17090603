// Test helpers: a throwaway copy of the repository (tracked files + the working tree's changes), so tests
// that generate, edit or break files never touch the real tree.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { REPO_ROOT } from "../../scripts/lib/paths.ts";
import { listOverlays } from "../../scripts/lib/overlays.ts";
import { loadSettingsFile } from "../../scripts/settings/load.ts";
import { ensureLocalCredentials, writePendingCredentials } from "../../scripts/lib/local-credentials.ts";

export { REPO_ROOT };

/**
 * Copies every tracked and untracked-but-not-ignored file into a temp dir; node_modules is symlinked.
 * `credentials: "fixed"`: the local environments' credentials are seeded (fixedCredentials) instead of left for the
 * first generate to create with random values.
 */
export function copyRepo(opts: { credentials?: "fixed" } = {}): string {
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
  if (opts.credentials === "fixed") fixedCredentials(dir);
  return dir;
}

/** The code that decides which local credentials there are and what they hold: part of a stored set's key. */
const CREDENTIALS_CODE = ["scripts/stack/credentials.ts", "scripts/lib/local-credentials.ts"];

/**
 * Where fixed credentials are kept: beside the kustomize cache (the user's cache folder), so every checkout on this
 * machine uses the same values and shares the kustomize builds made from them. Throwaway values for test copies only.
 */
const credentialsStore = () =>
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "mcp-stack", "test-credentials");

/**
 * Writes into a copy the local credentials its first generate would create, with the same values in every run: made
 * once by the generator's own code (ensureLocalCredentials) per environment, settings file content and credentials
 * code, and kept (credentialsStore). Random values per copy would make every build's input new, so neither the
 * generate memo nor the kustomize cache (both keyed by content, credentials included) could ever serve a test copy.
 */
export function fixedCredentials(root: string): void {
  const overlays = path.join(root, "overlays");
  const code = createHash("sha256");
  for (const f of CREDENTIALS_CODE) code.update(fs.readFileSync(path.join(REPO_ROOT, f)));
  const codeHash = code.digest("hex");
  for (const env of listOverlays(overlays)) {
    const file = path.join(overlays, env, "settings.yaml");
    const text = fs.readFileSync(file);
    const settings = loadSettingsFile(file, `overlays/${env}/settings.yaml`);
    if (settings.credentials.source !== "local") continue;
    const stored = path.join(credentialsStore(), `${env}-${createHash("sha256").update(codeHash).update(text).digest("hex").slice(0, 16)}`);
    if (!fs.existsSync(stored)) {
      // Made in a folder of its own and renamed into place: a concurrent worker's set is as good as this one.
      const tmp = `${stored}.${process.pid}.tmp`;
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(stored), { recursive: true });
      const pending: Parameters<typeof writePendingCredentials>[0] = [];
      ensureLocalCredentials(tmp, env, settings, pending);
      writePendingCredentials(pending);
      try {
        fs.renameSync(path.join(tmp, "overlays", env, "credentials"), stored);
      } catch (err) {
        if (!fs.existsSync(stored)) throw err;
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    const to = path.join(overlays, env, "credentials");
    fs.mkdirSync(to, { recursive: true, mode: 0o700 });
    for (const f of fs.readdirSync(stored)) fs.copyFileSync(path.join(stored, f), path.join(to, f));
    for (const f of fs.readdirSync(to)) fs.chmodSync(path.join(to, f), 0o600);
  }
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
