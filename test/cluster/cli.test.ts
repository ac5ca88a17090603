// End to end: the three npm scripts as an operator runs them, one real process each, with the executable stand-in
// kubectl first on PATH (it hands `kubectl kustomize` to the real kubectl, so rendering works as usual). These prove
// the wiring (argv, PATH lookup, exit codes, stdout/stderr); the checks themselves, an unreachable cluster and the
// other outcomes are tested in-process in the other files and below. Each test has its own stand-in, so they run
// concurrently.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { execKubectl, Kubectl } from "../../scripts/cluster/kubectl.ts";
import { main as teardownMain } from "../../scripts/teardown.ts";
import { depsFor } from "./helpers.ts";
import { REPO_ROOT } from "../../scripts/lib/paths.ts";
import { makeFakeKubectl, makeFakeKubectlBin, realKubectl, type FakeKubectlBin } from "./fake-kubectl.ts";
import { scenario } from "./scenarios.ts";
import { migrationJobName } from "../../scripts/stack/migration.ts";
import { loadSettingsFile } from "../../scripts/settings/load.ts";
import { OVERLAYS_DIR } from "../../scripts/lib/paths.ts";

/** The minikube overlay's migration Job (its name carries a hash of what it runs). */
const JOB = migrationJobName(loadSettingsFile(`${OVERLAYS_DIR}/minikube/settings.yaml`));

// `node script.ts` (Node type stripping) is what `npm run` does, without npm's extra parent process.
const REAL = realKubectl();

const scratch: string[] = [];
const standIns: FakeKubectlBin[] = [];
afterAll(async () => {
  await Promise.all(standIns.map((fake) => fake.close()));
  scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});
/** A stand-in of its own for each test (they run concurrently), removed after the file. */
async function standIn(): Promise<FakeKubectlBin> {
  const fake = await makeFakeKubectlBin();
  standIns.push(fake);
  scratch.push(fake.dir);
  return fake;
}

function run(fake: FakeKubectlBin, script: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "scripts", `${script}.ts`), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, PATH: `${fake.dir}${path.delimiter}${process.env.PATH}`, REAL_KUBECTL: REAL ?? "", ...fake.env, NO_COLOR: "1", ...env },
      timeout: 110_000, // kills a hung child before the test times out (120 s); generous for a loaded machine
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!REAL)("cluster commands end to end", { concurrent: true }, () => {
  it("preflight --context NAME -o json on a healthy cluster: exit 0, JSON on stdout, --context on every call", async () => {
    const fake = await standIn();
    fake.setScenario(scenario());
    const r = await run(fake, "preflight", ["--context", "e2e", "--output", "json", "minikube"]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; context: string; env: string; results: { id: string; status: string }[] };
    expect(report).toMatchObject({ ok: true, context: "e2e", env: "minikube" });
    expect(report.results.map((x) => x.id)).toEqual(expect.arrayContaining(["server-version", "permissions", "gateway-class/eg"]));
    // The checks' calls (they carry --request-timeout); the kustomize runner's own probes are not ours.
    const calls = fake.calls().filter((argv) => argv.some((a) => a.startsWith("--request-timeout")));
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.filter((argv) => argv[0] !== "--context" || argv[1] !== "e2e")).toEqual([]);
  });

  it("verify with a failed Job: exit 1, summary table and a remediation line", async () => {
    const fake = await standIn();
    fake.setScenario(scenario("failedJob"));
    const r = await run(fake, "verify", ["minikube"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL  Migration Job complete - ${JOB} Failed: BackoffLimitExceeded`);
    expect(r.stdout).toMatch(/STATUS\s+CHECK\s+DETAIL/);
    expect(r.stdout).toContain(`What to do:\n  FAIL job/${JOB}: kubectl logs job/${JOB} -n mcp`);
  });

  it("a usage error exits 2 before touching the cluster", async () => {
    const fake = await standIn();
    fake.setScenario(scenario());
    const td = await run(fake, "teardown", ["--delete-data", "minikube"]);
    expect(td.code).toBe(2);
    expect(td.stderr).toContain("--yes");
    expect(fake.calls()).toEqual([]);
  });

  it("the executable stand-in and the in-process one answer and record alike", async () => {
    const rules = [{ match: "^get pods -n mcp\\b", json: { items: [] }, stdout: "\n", stderr: "W0101 warning\n", code: 3 }, ...scenario("denied")];
    // A rule with json, stdout, stderr and a code; the defaults for get (NotFound), can-i (yes) and delete.
    const probes = [
      ["config", "current-context"],
      ["get", "pods", "-n", "mcp", "-o", "json"],
      ["get", "secret", "nope", "-n", "mcp", "-o", "json"],
      ["auth", "can-i", "create", "deployments.apps", "-n", "mcp"],
      ["auth", "can-i", "create", "configmaps", "-n", "mcp"],
      ["delete", "statefulsets.apps", "postgres", "redis", "-n", "mcp", "--ignore-not-found", "--wait=false"],
    ];
    const bin = await standIn();
    const mem = makeFakeKubectl();
    bin.setScenario(rules);
    mem.setScenario(rules);
    const viaBin = new Kubectl({ bin: bin.bin, env: bin.env, context: "p" });
    const viaMem = new Kubectl({ exec: mem.exec, context: "p" });
    const fromBin = await Promise.all(probes.map((p) => viaBin.run(p)));
    const fromMem = await Promise.all(probes.map((p) => viaMem.run(p)));
    expect(fromMem).toEqual(fromBin);
    expect(fromBin.map((r) => r.code)).toEqual([0, 3, 1, 1, 0, 0]);
    expect(mem.calls()).toEqual(probes.map((p) => ["--context", "p", "--request-timeout=20s", ...p]));
    expect(new Set(bin.calls().map((c) => JSON.stringify(c)))).toEqual(new Set(mem.calls().map((c) => JSON.stringify(c))));
  });
});

describe("cluster commands' main in-process (what the processes above would print)", () => {
  it("kubectl missing: one line, exit 1 (a real ENOENT, as a PATH without kubectl gives)", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-kubectl-"));
    scratch.push(empty);
    const deps = { ...depsFor(makeFakeKubectl(), []), exec: (_bin: string, argv: string[], env?: NodeJS.ProcessEnv) => execKubectl(path.join(empty, "kubectl"), argv, env) };
    expect(await teardownMain(["dev"], deps)).toBe(1);
    expect(deps.io.err().trim().split("\n")).toHaveLength(1);
    expect(deps.io.err()).toMatch(/^error: kubectl not found: install kubectl/);
  });

  it("teardown --dry-run -o json lists the deletes and runs none", async () => {
    const fake = makeFakeKubectl();
    const deps = depsFor(fake, scenario());
    expect(await teardownMain(["--dry-run", "-o", "json", "minikube"], deps)).toBe(0);
    const report = JSON.parse(deps.io.out()) as { results: { id: string; detail: string }[] };
    expect(report.results.find((x) => x.id === "delete/apps/deployments.apps")?.detail).toContain("kubectl delete deployments.apps");
    expect(fake.calls().some((argv) => argv.includes("delete"))).toBe(false);
    expect(fake.calls().length).toBeGreaterThan(0);
  });
});
