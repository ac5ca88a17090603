// Work that must not outlive the process: temporary folders (they can hold copies of local credentials) and child
// processes (kustomize). Removed on every exit path: normal return, exceptions (callers' finally), and SIGINT,
// SIGTERM or SIGHUP, after which the process exits with 128 + the signal number.
import type { Dirent } from "node:fs";
import type { ChildProcess } from "node:child_process";
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");
const path = process.getBuiltinModule("node:path");

const folders = new Set<string>();
const children = new Set<ChildProcess>();
const exitHooks = new Set<() => void>();
let installed = false;

function cleanUp(): void {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  children.clear();
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  folders.clear();
  for (const hook of exitHooks) hook();
  exitHooks.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", cleanUp);
  for (const [signal, n] of [["SIGINT", 2], ["SIGTERM", 15], ["SIGHUP", 1]] as const) {
    process.on(signal, () => {
      cleanUp();
      process.exit(128 + n);
    });
  }
}

/** A temporary folder removed when the process ends, however it ends; `release` when done with it earlier. */
export function trackFolder(dir: string): { release(): void } {
  install();
  folders.add(dir);
  return {
    release() {
      folders.delete(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A child process killed when this process ends first. */
export function trackChild(child: ChildProcess | undefined): void {
  if (!child) return;
  install();
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** Something to undo when the process ends (a lock file), unless `release`d before. */
export function onExit(hook: () => void): { release(): void } {
  install();
  exitHooks.add(hook);
  return {
    release() {
      exitHooks.delete(hook);
      hook();
    },
  };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Scratch folders carry their owner's pid: mcp-stack-<kind>-<pid>-XXXXXX. */
const SCRATCH = /^mcp-stack-[a-z]+-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * Removes scratch folders in `dir` (default the temp folder) left by runs that were SIGKILLed (which cannot clean up):
 * ours (same user) whose pid is gone. Returns the folders removed.
 */
export function removeStaleScratch(dir: string = os.tmpdir()): string[] {
  const removed: string[] = [];
  let entries: Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  for (const e of entries) {
    const m = SCRATCH.exec(e.name);
    if (!m || !e.isDirectory()) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    const full = path.join(dir, e.name);
    try {
      if (uid !== undefined && fs.statSync(full).uid !== uid) continue;
      fs.rmSync(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      // another run removed it first
    }
  }
  return removed;
}

let swept = false;

/**
 * A scratch folder of this process (mcp-stack-<kind>-<pid>-XXXXXX in the temp folder), removed when the process ends
 * however it ends but SIGKILL; the first one a process makes first removes those SIGKILLed runs left behind.
 */
export function scratchFolder(kind: string): { dir: string; release(): void } {
  if (!swept) {
    swept = true;
    removeStaleScratch();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mcp-stack-${kind}-${process.pid}-`));
  return { dir, ...trackFolder(dir) };
}
