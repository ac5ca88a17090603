// Runs what the rendered overlays embed (container commands, args, env, mounted ConfigMaps, probes, hooks) against
// real PostgreSQL and Redis servers from Debian's packages, started here on loopback, on free ports, in temp dirs.
// What is substituted, and only that: mount paths -> temp dirs (in script text, config files and env values), the
// Services' host and port -> 127.0.0.1 and the free port (env, and the redis binaries' --port/-p through a shim at
// the front of PATH), Secret values -> test credentials. Script text and config files come from the render.
import { spawn, spawnSync, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type Any = Record<string, any>;

/** Debian's server binaries, or why they are missing. */
export function findBinaries(): { pgBin: string; redisServer: string; redisCli: string } | { missing: string } {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "postgres"))) : [];
  const pgBin = versions.sort((a, b) => Number(b) - Number(a)).map((v) => path.join(root, v, "bin"))[0];
  const redisServer = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((f) => fs.existsSync(f));
  const redisCli = ["/usr/bin/redis-cli", "/usr/local/bin/redis-cli"].find((f) => fs.existsSync(f));
  const missing = [...(pgBin ? [] : ["PostgreSQL (/usr/lib/postgresql/<major>/bin/postgres)"]), ...(redisServer && redisCli ? [] : ["redis-server/redis-cli"])];
  if (missing.length) return { missing: `${missing.join(" and ")} not installed (apt-get install -y postgresql redis-server)` };
  return { pgBin: pgBin!, redisServer: redisServer!, redisCli: redisCli! };
}

export const versionOf = (binary: string): string => {
  const out = spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout;
  return /(\d+\.\d+(\.\d+)?)/.exec(out.replace(/v=/, " "))?.[1] ?? "?";
};

/** A free TCP port on loopback (the kernel picks it, so concurrent runs never collide). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The servers refuse to run as root (PostgreSQL) or should not (Redis): as root, run as Debian's postgres user. */
export function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

export function tempRoot(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const user = runAs();
  if (user) fs.chownSync(dir, user.uid, user.gid);
  return dir;
}

/** Creates a directory the servers' user owns. */
export function ownedDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const user = runAs();
  if (user) fs.chownSync(dir, user.uid, user.gid);
  return dir;
}

/** Replaces each mount path where it starts a path in the text, in one pass (longest first, never twice). */
export function mapPaths(text: string, mounts: Record<string, string>): string {
  const froms = Object.keys(mounts).sort((a, b) => b.length - a.length);
  if (!froms.length) return text;
  const alternatives = froms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return text.replace(new RegExp(`(^|[\\s"'=:(])(${alternatives})(?=/|$|[\\s"';)])`, "g"), (_m, lead: string, from: string) => `${lead}${mounts[from]}`);
}

/**
 * A container's environment as the kubelet builds it: literals with $(VAR) expanded from earlier entries,
 * secretKeyRef from `secrets`, optional configMapKeyRef left out; then `overrides` (the substitutions).
 */
export function containerEnv(c: Any, secrets: Record<string, Record<string, string>>, overrides: Record<string, string>, mounts: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = mapPaths(String(e.value).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => env[v] ?? m), mounts);
    else if (e.valueFrom?.secretKeyRef) {
      const { name, key } = e.valueFrom.secretKeyRef;
      const value = secrets[name]?.[key];
      if (value === undefined) throw new Error(`test has no value for Secret ${name} key ${key}`);
      env[e.name] = value;
    } else if (e.valueFrom?.configMapKeyRef?.optional) continue;
    else throw new Error(`env ${e.name}: unsupported source ${JSON.stringify(e.valueFrom)}`);
  }
  return { ...env, ...overrides };
}

/** The paths a container mounts, mapped to folders under `root`. */
export function mountsOf(c: Any, root: string): Record<string, string> {
  return Object.fromEntries((c.volumeMounts ?? []).map((m: Any) => [m.mountPath, ownedDir(path.join(root, m.name))]));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a rendered command (argv) with the container's env and the servers' user; resolves when it exits. */
export function run(argv: string[], env: Record<string, string>, opts: { timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const user = runAs();
    const child = spawn(argv[0]!, argv.slice(1), { env, cwd: opts.cwd ?? os.tmpdir(), stdio: ["ignore", "pipe", "pipe"], ...(user ?? {}) } as SpawnOptions);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    // Only a hang guard (a loaded shared machine can take tens of seconds for what takes one idle): generous.
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Starts a long-running rendered command; `stop` kills it if it is still there. */
export function start(argv: string[], env: Record<string, string>, logFile: string) {
  const user = runAs();
  const log = fs.openSync(logFile, "a");
  const child = spawn(argv[0]!, argv.slice(1), { env, cwd: os.tmpdir(), stdio: ["ignore", log, log], ...(user ?? {}) } as SpawnOptions);
  const exited = new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : -1))));
  return {
    child,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      fs.closeSync(log);
    },
  };
}

/** Polls until `ready` is true (bounded: about a minute and more on a loaded machine), failing with the server's log. */
export async function waitFor(ready: () => Promise<boolean>, what: string, logFile: string, tries = 600): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up:\n${fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").slice(-2000) : ""}`);
}

/**
 * A folder whose executables stand in front of PATH: each execs the real binary with extra arguments before the
 * caller's (redis-cli reads options only before the command) or after them (redis-server: after the config file).
 */
export function shimDir(root: string, shims: Record<string, { binary: string; before?: string[]; after?: string[] }>): string {
  const dir = ownedDir(path.join(root, "shims"));
  const quote = (args: string[] = []) => args.map((a) => `'${a}'`).join(" ");
  for (const [name, { binary, before, after }] of Object.entries(shims)) {
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\nexec ${binary} ${quote(before)} "$@" ${quote(after)}\n`, { mode: 0o755 });
  }
  fs.chmodSync(dir, 0o755);
  return dir;
}
