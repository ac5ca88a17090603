// Children die with their parent and scratch folders do not outlive a run: real signals sent to a real
// `generate --check` process whose kustomize is a slow stand-in (KUSTOMIZE, an executable that sleeps).
//  - SIGINT / SIGTERM: the run exits 128+n, its kustomize child is gone, no scratch folder is left;
//  - SIGKILL (no handler can run): the kernel kills the child (setpriv --pdeathsig KILL, Linux), and the folder
//    left behind is removed by the next run (removeStaleScratch: folders of dead pids);
//  - a child over its time bound (MCP_STACK_CHILD_TIMEOUT) is stopped and the run exits 2 saying so (in-process).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { REPO_ROOT } from "./helpers/repo.ts";
import { removeStaleScratch } from "../scripts/lib/cleanup.ts";
import { runInProcess, type InProcessRun } from "./helpers/in-process.ts";
import { main as generateMain } from "../scripts/generate.ts";

let work: string;
let standIn: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "child-lifecycle-"));
  standIn = path.join(work, "slow-kustomize");
  // `exec`: the sleeping process is the child itself (a shell's own child would not get the parent-death signal).
  fs.writeFileSync(standIn, '#!/bin/sh\nif [ "$1" = version ]; then echo "slow stand-in 0.0"; exit 0; fi\necho $$ >> "$STANDIN_PIDS"\nexec sleep 120\n', { mode: 0o755 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const alive = (pid: number): boolean => {
  try {
    // A zombie (exited, not yet reaped) counts as dead.
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
};

async function until(what: string, test: () => boolean, ms = 60_000): Promise<void> {
  for (let waited = 0; !test(); waited += 50) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A generate --check run with the stand-in kustomize, its own temp folder, and the pids of its kustomize children.
 * Whatever a failed assertion left running is ended by pid when the test finishes (this test's processes only: the
 * tests run concurrently, each mostly waiting on its own processes).
 */
function startRun(ctx: TestContext, name: string, env: Record<string, string> = {}) {
  const tmp = path.join(work, name);
  fs.mkdirSync(tmp);
  const pids = path.join(tmp, "pids");
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO_ROOT, "scripts/generate.ts"), "--check"], {
    cwd: REPO_ROOT,
    env: { ...process.env, KUSTOMIZE: standIn, TMPDIR: tmp, STANDIN_PIDS: pids, MCP_STACK_KUSTOMIZE_CACHE: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const kustomizePids = () => (fs.existsSync(pids) ? fs.readFileSync(pids, "utf8").split("\n").filter(Boolean).map(Number) : []);
  const scratch = () => fs.readdirSync(tmp).filter((f) => f.startsWith("mcp-stack-"));
  endAfterTest(ctx, child, kustomizePids);
  return { child, exited, kustomizePids, scratch, tmp, stderr: () => stderr };
}

function endAfterTest(ctx: TestContext, child: ChildProcess, childPids: () => number[]): void {
  ctx.onTestFinished(() => {
    for (const pid of [child.pid, ...childPids()]) {
      try {
        if (pid) process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}

const pdeathsig = (() => {
  try {
    execFileSync("setpriv", ["--pdeathsig", "KILL", "--", "true"], { stdio: "ignore" });
    return process.platform === "linux";
  } catch {
    return false;
  }
})();

describe("signals sent to a real generate process", { concurrent: true }, () => {
  it.for([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s: exits %i, its kustomize child is gone, no scratch folder is left", async ([signal, code], ctx) => {
    const run = startRun(ctx, signal);
    await until("a kustomize child", () => run.kustomizePids().length > 0);
    expect(run.scratch()).toEqual([expect.stringMatching(new RegExp(`^mcp-stack-generate-${run.child.pid}-`))]);
    run.child.kill(signal);
    expect(await run.exited).toEqual({ code, signal: null });
    await until("the kustomize children to end", () => run.kustomizePids().every((p) => !alive(p)), 10_000);
    expect(run.scratch()).toEqual([]);
  });

  it.runIf(pdeathsig)("SIGKILL: the kernel ends the kustomize child; the next run removes the scratch folder left behind", async (ctx) => {
    const run = startRun(ctx, "SIGKILL");
    await until("a kustomize child", () => run.kustomizePids().length > 0);
    run.child.kill("SIGKILL");
    expect(await run.exited).toEqual({ code: null, signal: "SIGKILL" });
    await until("the orphaned kustomize child to be killed", () => run.kustomizePids().every((p) => !alive(p)), 10_000);
    const left = run.scratch();
    expect(left).toEqual([expect.stringMatching(new RegExp(`^mcp-stack-generate-${run.child.pid}-`))]);
    // What the next run does first (scratchFolder): folders of dead pids go; a live run's folder stays.
    const live = fs.mkdtempSync(path.join(run.tmp, `mcp-stack-generate-${process.pid}-`));
    expect(removeStaleScratch(run.tmp)).toEqual([path.join(run.tmp, left[0]!)]);
    expect(run.scratch()).toEqual([path.basename(live)]);
  });

});

// The time bound is no signal: generate's main in-process (its exit code and message as the entry point maps them),
// after the concurrent processes above, since it sets this process's environment for its kustomize children.
describe("a child over its time bound", () => {
  it("a kustomize child over its time bound is stopped: exit 2 saying so, no scratch folder left", async (ctx) => {
    const tmp = path.join(work, "timeout");
    fs.mkdirSync(tmp);
    const pids = path.join(tmp, "pids");
    const kustomizePids = () => (fs.existsSync(pids) ? fs.readFileSync(pids, "utf8").split("\n").filter(Boolean).map(Number) : []);
    ctx.onTestFinished(() => {
      for (const pid of kustomizePids()) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    });
    // The memo off: its key holds the kustomize binary's identity, which this process computed once, before KUSTOMIZE.
    const env = { KUSTOMIZE: standIn, TMPDIR: tmp, STANDIN_PIDS: pids, MCP_STACK_KUSTOMIZE_CACHE: "0", MCP_STACK_GENERATE_CACHE: "0", MCP_STACK_CHILD_TIMEOUT: "1" };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    let run: InProcessRun;
    try {
      run = await runInProcess(generateMain, ["--check"]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/kustomize build did not finish within 1 s and was stopped \(expected a build that ends \(MCP_STACK_CHILD_TIMEOUT/);
    expect(run.stderr).not.toMatch(/mcp-stack-generate-|\n\s+at /);
    expect(kustomizePids().length).toBeGreaterThan(0);
    await until("the kustomize children to end", () => kustomizePids().every((p) => !alive(p)), 10_000);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith("mcp-stack-"))).toEqual([]);
  });
});

describe("a SIGKILL of a real validate -engine kubeconform process", () => {
  it.runIf(pdeathsig)("the kernel ends its kubeconform child (started through setpriv, not left sleeping)", async (ctx) => {
    const tmp = path.join(work, "kubeconform-SIGKILL");
    fs.mkdirSync(tmp);
    const pids = path.join(tmp, "pids");
    const slowKubeconform = path.join(tmp, "slow-kubeconform");
    fs.writeFileSync(slowKubeconform, '#!/bin/sh\necho $$ >> "$STANDIN_PIDS"\nexec sleep 120\n', { mode: 0o755 });
    const input = path.join(tmp, "cm.yaml");
    fs.writeFileSync(input, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "scripts/validate.ts"), "-engine", "kubeconform", input], {
      cwd: REPO_ROOT,
      env: { ...process.env, KUBECONFORM: slowKubeconform, TMPDIR: tmp, STANDIN_PIDS: pids },
      stdio: "ignore",
    });
    const kubeconformPids = () => (fs.existsSync(pids) ? fs.readFileSync(pids, "utf8").split("\n").filter(Boolean).map(Number) : []);
    endAfterTest(ctx, child, kubeconformPids);
    const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    await until("a kubeconform child", () => kubeconformPids().length > 0);
    child.kill("SIGKILL");
    expect(await exited).toEqual({ code: null, signal: "SIGKILL" });
    await until("the orphaned kubeconform child to be killed", () => kubeconformPids().every((p) => !alive(p)), 10_000);
  });
});
