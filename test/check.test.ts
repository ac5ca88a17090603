// `npm run check`: the gate passes on a clean tree and fails, naming the file, on a hand-edited generated file.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyRepo, REPO_ROOT, runCli } from "./helpers/repo.ts";
import { formatSarif, formatTable, runGate, ROOT_TARGET } from "../scripts/check/gate.ts";
import { runInProcess } from "./helpers/in-process.ts";
import { main as checkMain } from "../scripts/check.ts";

const copy = copyRepo();
// The git-ignored local credentials of dev and minikube, so the copy renders like the working tree.
for (const env of ["dev", "minikube"]) {
  const creds = path.join(REPO_ROOT, "overlays", env, "credentials");
  if (fs.existsSync(creds)) fs.cpSync(creds, path.join(copy, "overlays", env, "credentials"), { recursive: true });
}
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

describe("check", () => {
  it("passes on a clean tree: every overlay and the root rendered, valid and policy-clean", async () => {
    const result = await runGate({ root: copy });
    expect(result.drift).toEqual({ changed: [], missing: [], stale: [] });
    expect(result.targets.map((t) => t.name)).toEqual(["dev", "eks", "manual-pv", "minikube", "eks/eu-canary", "eks/eu-production", "eks/us-production", ROOT_TARGET]);
    for (const t of result.targets) {
      expect(t.renderError, t.name).toBeUndefined();
      expect(t.objects, t.name).toBeGreaterThan(0);
      expect(t.schema.invalid + t.schema.errors, t.name).toBe(0);
      expect(t.policy.error, t.name).toBe(0);
    }
    expect(result.ok).toBe(true);
    const table = formatTable(result);
    expect(table.split("\n")[0]).toMatch(/^target\s+objects\s+schema valid\/invalid\/errors\/skipped\s+generated\s+error\s+warning\s+info\s+exempted\s+deployability error\/warning\/exempted\s+time\s+verdict$/);
    expect(table).toMatch(/^eks\s+\d+\s+\d+\/0\/0\/0\s+up to date\s/m);
  });

  // An overlay whose local credentials are missing (a fresh CI checkout) renders from placeholders: the gate of such a
  // checkout in check-shared-builds.test.ts (dev and minikube from placeholders, no render error, the gate passes).

  it("fails with exit 1 on a hand-edited generated file, naming it, also in SARIF", async () => {
    const file = path.join(copy, "base", "service-mcp-gateway.yaml");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace("port: 80", "port: 8080"));
    try {
      const sarif = path.join(copy, "gate.sarif");
      const res = await runInProcess(checkMain, ["--root", copy, "--sarif", sarif, "--json", path.join(copy, "gate.json")]);
      expect(res.code, res.stderr).toBe(1);
      expect(res.stdout).toContain("differs: base/service-mcp-gateway.yaml");
      expect(res.stdout).toContain("gate FAILED");
      const results = (JSON.parse(fs.readFileSync(sarif, "utf8")) as { runs: { results: { ruleId: string; locations: any[] }[] }[] }).runs[0]!.results;
      const drift = results.filter((r) => r.ruleId === "generated-file-drift");
      expect(drift.map((r) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual(["base/service-mcp-gateway.yaml"]);
      const json = JSON.parse(fs.readFileSync(path.join(copy, "gate.json"), "utf8"));
      expect(json.ok).toBe(false);
      expect(json.drift.changed).toEqual(["base/service-mcp-gateway.yaml"]);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it("exits 2 on bad usage, in-process and as the entry point (a real process)", async () => {
    const res = await runInProcess(checkMain, ["--nope"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^error: .*--nope/);
    const spawned = runCli("scripts/check.ts", ["--nope"]);
    expect(spawned.code).toBe(2);
    expect(spawned.stderr).toBe(res.stderr);
  });

  it("puts schema failures and drift into one SARIF run with the policy rules", () => {
    const sarif = JSON.parse(
      formatSarif({
        ok: false,
        drift: { changed: [], missing: ["argocd/application-mcp-stack-eks.yaml"], stale: [] },
        generatedFiles: 1,
        sharedDrift: [],
        warnings: [],
        kubernetesVersion: "1.36.2",
        ms: 1,
        targets: [
          {
            name: "eks",
            file: "overlays/eks/kustomization.yaml",
            objects: 1,
            schema: { valid: 0, invalid: 1, errors: 0, skipped: 0 },
            policy: { error: 0, warning: 0, info: 0, exempted: 0 },
            invalid: [{ filename: "overlays/eks/kustomization.yaml", kind: "Service", name: "x", namespace: "mcp", version: "v1", status: "statusInvalid", msg: "", validationErrors: [{ path: "/spec/ports/0/port", msg: "expected integer" }], documentIndex: 1 }],
            findings: [],
            deployabilityFindings: [],
            drift: ["missing: argocd/application-mcp-stack-eks.yaml"],
            warnings: [],
            ms: 1,
          },
        ],
      }),
    );
    expect(sarif.runs).toHaveLength(1);
    const ids = sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId);
    expect(ids).toEqual(["generated-file-drift", "schema-invalid"]);
    expect(sarif.runs[0].results[1].message.text).toBe("Service x: /spec/ports/0/port: expected integer");
    const rules = sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    expect(rules[sarif.runs[0].results[1].ruleIndex]).toBe("schema-invalid");
  });
});
