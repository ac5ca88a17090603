// Work that must not outlive the process: temporary folders (they can hold copies of local credentials) and child
// processes (kustomize). Removed on every exit path: normal return, exceptions (callers' finally), and SIGINT,
// SIGTERM or SIGHUP, after which the process exits with 128 + the signal number.
import fs from "node:fs";
import type { ChildProcess } from "node:child_process";

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
