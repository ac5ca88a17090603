// End to end: the three npm scripts as an operator runs them, with the stand-in kubectl first on PATH
// (it hands `kubectl kustomize` to the real kubectl, so rendering works as usual).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../scripts/lib/paths.ts";
import { makeFakeKubectl, realKubectl } from "./fake-kubectl.ts";
import { scenario } from "./scenarios.ts";

const TSX = path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const REAL = realKubectl();
const fake = makeFakeKubectl();

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [TSX, path.join(REPO_ROOT, "scripts", `${script}.ts`), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, PATH: `${fake.dir}${path.delimiter}${process.env.PATH}`, REAL_KUBECTL: REAL ?? "", ...fake.env, NO_COLOR: "1", ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!REAL)("cluster commands end to end", () => {
  it("preflight --context NAME -o json on a healthy cluster: exit 0, JSON on stdout, --context on every call", () => {
    fake.setScenario(scenario());
    fake.reset();
    const r = run("preflight", ["--context", "e2e", "--output", "json", "minikube"]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; context: string; env: string; results: { id: string; status: string }[] };
    expect(report).toMatchObject({ ok: true, context: "e2e", env: "minikube" });
    expect(report.results.map((x) => x.id)).toEqual(expect.arrayContaining(["server-version", "permissions", "ingress-class/nginx"]));
    // The checks' calls (they carry --request-timeout); the kustomize runner's own probes are not ours.
    const calls = fake.calls().filter((argv) => argv.some((a) => a.startsWith("--request-timeout")));
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.filter((argv) => argv[0] !== "--context" || argv[1] !== "e2e")).toEqual([]);
  });

  it("verify with a failed Job: exit 1, summary table and a remediation line", () => {
    fake.setScenario(scenario("failedJob"));
    const r = run("verify", ["minikube"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("FAIL  Migration Job complete - mcp-migration-v1-0-8 Failed: BackoffLimitExceeded");
    expect(r.stdout).toMatch(/STATUS\s+CHECK\s+DETAIL/);
    expect(r.stdout).toContain("What to do:\n  FAIL job/mcp-migration-v1-0-8: kubectl logs job/mcp-migration-v1-0-8 -n mcp");
  });

  it("an unreachable cluster: one line, exit 1", () => {
    fake.setScenario(scenario("unreachable"));
    const r = run("preflight", ["eks"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "error: cannot reach the cluster of the current context: The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?",
    ]);
  });

  it("kubectl missing: one line, exit 1 (PATH without kubectl)", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-kubectl-"));
    const r = run("verify", ["--output", "json", "dev"], { PATH: empty, KUBECTL: "" });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: expect.stringContaining("kubectl not found") });
    const text = run("teardown", ["dev"], { PATH: empty });
    expect(text.code).toBe(1);
    expect(text.stderr.trim().split("\n")).toHaveLength(1);
    expect(text.stderr).toMatch(/^error: kubectl not found: install kubectl/);
  });

  it("usage errors exit 2 before touching the cluster", () => {
    fake.setScenario(scenario());
    fake.reset();
    expect(run("verify", []).code).toBe(2);
    expect(run("verify", ["nowhere"]).stderr).toContain("no such environment: nowhere");
    expect(run("preflight", ["--output", "xml"]).code).toBe(2);
    const td = run("teardown", ["--delete-data", "minikube"]);
    expect(td.code).toBe(2);
    expect(td.stderr).toContain("--yes");
    expect(run("teardown", ["--delete-namespace", "minikube"]).code).toBe(2);
    expect(fake.calls()).toEqual([]);
  });

  it("teardown --dry-run -o json lists the deletes and runs none", () => {
    fake.setScenario(scenario());
    fake.reset();
    const r = run("teardown", ["--dry-run", "-o", "json", "minikube"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { results: { id: string; detail: string }[] };
    expect(report.results.find((x) => x.id === "delete/apps/deployments.apps")?.detail).toContain("kubectl delete deployments.apps");
    expect(fake.calls().some((argv) => argv.includes("delete"))).toBe(false);
  });
});
