// Issue 20: taking over a Helm release's claims is reported until the keep step of the runbook is confirmed.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { analyseEnvironment } from "../../scripts/deployability/run.ts";
import { importHelmValues } from "../../scripts/import/helm-values.ts";
import { plain } from "../../scripts/generate/emit.ts";
import { parseSettings } from "../../scripts/settings/load.ts";
import { buildStack } from "../../scripts/stack/index.ts";

const values = parse(fs.readFileSync(path.join(import.meta.dirname, "../import/fixtures/chart-0.9.0-values.yaml"), "utf8"));

function findings(edit: (s: Record<string, any>) => void = () => {}) {
  const raw = importHelmValues(values, { release: "prod", namespace: "mcp-prod" }).settings as Record<string, any>;
  edit(raw);
  const settings = parseSettings(stringify(raw), "overlays/prod/settings.yaml");
  const yaml = buildStack({ settings }).map((o) => stringify(plain(o.object))).join("---\n");
  return analyseEnvironment({ name: "prod", yaml, file: "prod.yaml", settings }).findings.filter((f) => f.ruleId === "adopted-claim-kept");
}

describe("deployability: adopted claims of a Helm release", () => {
  it("warns on the workload that mounts the claim until migrateFromHelm.claimsKept is set", () => {
    const hits = findings();
    expect(hits.map((h) => `${h.object.kind}/${h.object.name}`)).toEqual(["StatefulSet/postgres"]);
    expect(hits[0]!.severity).toBe("warning");
    expect(hits[0]!.message).toContain("mounts the adopted claim prod-mcp-stack-postgres-pvc");
    expect(hits[0]!.message).toContain("helm uninstall prod");
    expect(findings((s) => (s.migrateFromHelm.claimsKept = true))).toEqual([]);
  });

  it("says nothing for a claim adopted from elsewhere (no Helm release to uninstall)", () => {
    expect(findings((s) => delete s.migrateFromHelm)).toEqual([]);
  });
});
