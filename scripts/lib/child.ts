// Child processes (kustomize, kubectl) that cannot outlive this process. Signals this process handles end them
// (cleanup.ts); a SIGKILL of this process cannot be handled, so on Linux each child is started through util-linux's
// `setpriv --pdeathsig KILL`, which asks the kernel to SIGKILL it when its parent dies (prctl PR_SET_PDEATHSIG,
// kept across exec), and every child has a time bound. Where setpriv is missing (macOS, minimal images) the child
// is started directly: the signal handlers and the time bound still hold.
const { execFileSync } = process.getBuiltinModule("node:child_process");
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

let wrapper: string[] | undefined | null;

/** `setpriv --pdeathsig KILL --` when it works here (checked once), else nothing. MCP_STACK_PDEATHSIG=0 turns it off. */
function deathSignalPrefix(): string[] {
  if (wrapper !== undefined) return wrapper ?? [];
  wrapper = null;
  if (process.platform === "linux" && process.env.MCP_STACK_PDEATHSIG !== "0") {
    try {
      execFileSync("setpriv", ["--pdeathsig", "KILL", "--", "true"], { stdio: "ignore", timeout: 5_000 });
      wrapper = ["setpriv", "--pdeathsig", "KILL", "--"];
    } catch {
      // no setpriv (or one without --pdeathsig): start children directly
    }
  }
  return wrapper ?? [];
}

/** The command line that starts `cmd args` as a child that dies with this process. */
export function boundToParent(cmd: string, args: string[]): { cmd: string; args: string[] } {
  const prefix = deathSignalPrefix();
  return prefix.length ? { cmd: prefix[0]!, args: [...prefix.slice(1), cmd, ...args] } : { cmd, args };
}

/** Seconds a child may run (MCP_STACK_CHILD_TIMEOUT, default 300): a hung kustomize or kubectl ends, the run fails. */
export function childTimeoutMs(): number {
  const s = Number(process.env.MCP_STACK_CHILD_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 300_000;
}

/** setpriv's way of saying the command does not exist (exit 127), which a direct start reports as ENOENT. */
export function notFoundThroughWrapper(code: unknown, stderr: string): boolean {
  return code === 127 && /setpriv: failed to execute .*No such file or directory/.test(stderr);
}

/** The executable file `cmd` names (a path, or a name looked up on PATH), or undefined when there is none. */
export function executablePath(cmd: string): string | undefined {
  const candidates = cmd.includes("/") ? [cmd] : (process.env.PATH ?? "").split(path.delimiter).filter(Boolean).map((d) => path.join(d, cmd));
  return candidates.find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}
