// The gate tells users what they need to know: every warning and info finding listed, schema errors at the
// repository file and line that define the object, drift in the row of its overlay, and warnings for what would
// otherwise be ignored silently (stray overlay files, folders that are not environments, exemptions that match
// nothing, gateway.config keys the gateway does not read). A version without schemas is one usage error.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { checkSchemasForVersion, formatReport, formatTable, runGate } from "../scripts/check/gate.ts";
import { gatewayConfigWarnings, unusedExemptions } from "../scripts/check/warnings.ts";
import { GATEWAY_CONFIG_NAMES, unknownGatewayConfigKeys } from "../scripts/settings/gateway-config.ts";
import { loadSettingsFile } from "../scripts/settings/load.ts";
import type { Finding, PolicyConfig } from "@mcp-stack/policy-engine";
import { copyRepo } from "./helpers/repo.ts";

const copy = copyRepo({ credentials: "fixed" }); // dev and minikube render the same way in every run (not from throwaway values)
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));
const edit = (file: string, change: (s: string) => string) => fs.writeFileSync(path.join(copy, file), change(fs.readFileSync(path.join(copy, file), "utf8")));

// One broken copy, one gate run: a stray file, two folders that are not environments, a drifted eks
// kustomization and an invalid Service in the base (so every overlay renders it).
fs.writeFileSync(path.join(copy, "overlays/eks/stray.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: stray }\n");
fs.mkdirSync(path.join(copy, "overlays/staging"));
fs.writeFileSync(path.join(copy, "overlays/staging/values.yaml"), "namespace: staging\n");
fs.mkdirSync(path.join(copy, "overlays/notes"));
edit("overlays/eks/kustomization.yaml", (s) => s + "# hand edit\n");
edit("base/service-mcp-gateway.yaml", (s) => s.replace(/^spec:\n/m, "spec:\n  bogus: 1\n"));
const serviceLine = fs.readFileSync(path.join(copy, "base/service-mcp-gateway.yaml"), "utf8").split("\n").findIndex((l) => l.startsWith("apiVersion")) + 1;
// Which settings.yaml files the run reads (issue 14: loaded and validated once per run, then passed down).
const readSpy = vi.spyOn(fs, "readFileSync");
let settingsReads: string[] = [];
const result = await runGate({ root: copy }).finally(() => {
  settingsReads = readSpy.mock.calls.map(([f]) => String(f)).filter((f) => f.endsWith("settings.yaml")).map((f) => path.relative(copy, f));
  readSpy.mockRestore();
});
const report = formatReport(result);

describe("check report", () => {
  it("reads each environment's settings.yaml once in the whole run", () => {
    const envs = fs.readdirSync(path.join(copy, "overlays")).filter((e) => fs.existsSync(path.join(copy, "overlays", e, "settings.yaml")));
    expect(envs.length).toBeGreaterThan(1);
    expect(settingsReads.sort()).toEqual(envs.map((e) => `overlays/${e}/settings.yaml`).sort());
  });

  it("lists every info finding, not only its count", () => {
    const dev = result.targets.find((t) => t.name === "dev")!;
    const infos = dev.findings.filter((f) => f.severity === "info" && !f.exempted);
    expect(infos.length).toBeGreaterThan(0);
    for (const f of infos) expect(report).toContain(`dev: info ${f.ruleId}: ${f.object.kind} ${f.object.name}: ${f.message}`);
  });

  it("sums exempted findings per rule and reason", () => {
    expect(report).toMatch(/^eks: \d+ × warning image-digest \(exempted: release tags pinned/m);
  });

  it("gives a schema error with the file and line that define the object", () => {
    const eks = result.targets.find((t) => t.name === "eks")!;
    expect(eks.invalid.map((r) => `${r.kind}/${r.name}`)).toEqual(["Service/mcp-gateway"]);
    expect(eks.invalid[0]!.source).toEqual({ file: "base/service-mcp-gateway.yaml", line: serviceLine });
    expect(report).toContain(`eks: Service mcp-gateway is invalid (base/service-mcp-gateway.yaml:${serviceLine}): /spec: additional properties 'bogus' not allowed`);
  });

  it("shows drift in the row of the overlay it belongs to, shared drift in a row of its own", () => {
    const eks = result.targets.find((t) => t.name === "eks")!;
    expect(eks.drift).toEqual(["differs: overlays/eks/kustomization.yaml"]);
    expect(result.targets.find((t) => t.name === "dev")!.drift).toEqual([]);
    expect(result.sharedDrift).toEqual(["differs: base/service-mcp-gateway.yaml"]);
    const table = formatTable(result);
    expect(table).toMatch(/^eks\s+\d+\s+\S+\s+1 out of date\s.*FAIL$/m);
    expect(table).toMatch(/^dev\s+\d+\s+\S+\s+up to date\s/m);
    expect(table).toMatch(/^\(shared\)\s+-\s+-\s+1 out of date\s.*FAIL$/m);
    expect(report).toContain("  eks: differs: overlays/eks/kustomization.yaml");
  });

  it("warns about a YAML file in an overlay folder that nothing references, in the overlay's row", () => {
    const eks = result.targets.find((t) => t.name === "eks")!;
    expect(eks.warnings.map((w) => [w.code, w.file])).toEqual([["unreferenced-file", "overlays/eks/stray.yaml"]]);
    expect(report).toContain("eks: warning unreferenced-file: overlays/eks/stray.yaml is not referenced by overlays/eks/kustomization.yaml");
    expect(formatTable(result)).toMatch(new RegExp(`^eks\\s+\\d+\\s+\\S+\\s+1 out of date\\s+\\d+\\s+${eks.policy.warning + 1}\\s`, "m"));
  });

  it("warns about overlay folders without settings (a misnamed settings.yml there is bad input: overlay-folders.test.ts)", () => {
    expect(result.warnings.filter((w) => w.code === "not-an-environment").map((w) => w.file)).toEqual(["overlays/notes", "overlays/staging"]);
    expect(report).toContain("overlays/staging has no settings.yaml: it is not an environment");
    expect(report).toContain("overlays/notes has no settings.yaml: it is not an environment");
    expect(result.targets.map((t) => t.name)).not.toContain("staging");
  });

  it("finds no unused exemption in policy/config.yaml (each one exempts a finding of its overlay)", () => {
    expect(result.warnings.filter((w) => w.code === "unused-exemption")).toEqual([]);
  });
});

describe("unused policy exemptions", () => {
  const config: PolicyConfig = {
    exemptions: [
      { rule: "image-digest", overlay: "eks", reason: "r", key: "exemptions[0]" },
      { rule: "image-digest", overlay: "eks", kind: "Deployment", reason: "shadowed by the first", key: "exemptions[1]" },
      { rule: "min-replicas", name: "typo-*", reason: "r", key: "exemptions[2]" },
    ],
    profiles: {},
    parameters: {},
    rules: [],
  };
  const finding = (ruleId: string, name: string): Finding =>
    ({ ruleId, severity: "warning", category: "images", message: "", object: { apiVersion: "apps/v1", kind: "Deployment", name, namespace: "mcp" }, file: "f", line: 1, path: "", overlay: "eks", profile: "production", exempted: { reason: "r", source: "config" } }) as Finding;

  it("names each exemption that exempted nothing, with its line in the config file", () => {
    const file = path.join(copy, "policy-config.yaml");
    fs.writeFileSync(file, "exemptions:\n  - rule: image-digest\n    overlay: eks\n    reason: r\n  - rule: image-digest\n    overlay: eks\n    kind: Deployment\n    reason: x\n  - rule: min-replicas\n    name: typo-*\n    reason: r\n");
    const warnings = unusedExemptions(config, [finding("image-digest", "mcp-gateway")], file);
    expect(warnings.map((w) => [w.line, w.message])).toEqual([
      [5, "exemptions[1] (rule image-digest, kind Deployment, overlay eks) matches no finding: remove it, or fix its fields"],
      [9, "exemptions[2] (rule min-replicas, name typo-*) matches no finding: remove it, or fix its fields"],
    ]);
  });
});

describe("gateway.config keys the gateway does not read", () => {
  it("ships the Settings field names of gateway v1.0.8 and the image scripts' variables", () => {
    for (const name of ["LOG_LEVEL", "DATABASE_URL", "SSRF_ALLOW_PRIVATE_NETWORKS", "ENVIRONMENT", "GUNICORN_TIMEOUT", "GUNICORN_WORKERS"]) {
      expect(GATEWAY_CONFIG_NAMES.has(name), name).toBe(true);
    }
    expect(GATEWAY_CONFIG_NAMES.size).toBeGreaterThan(700);
  });

  it("suggests the nearest name for a typo, and none for something unrelated", () => {
    expect(unknownGatewayConfigKeys({ LOG_LEVLE: "DEBUG", log_level: "INFO", COMPLETELY_UNRELATED_THING: "1" })).toEqual([
      { key: "LOG_LEVLE", suggestion: "LOG_LEVEL" },
      { key: "COMPLETELY_UNRELATED_THING" },
    ]);
  });

  it("every key the stack itself sets is known (base defaults and every overlay)", () => {
    for (const env of ["dev", "eks", "manual-pv", "minikube"]) {
      expect(gatewayConfigWarnings(copy, env, loadSettingsFile(path.join(copy, "overlays", env, "settings.yaml"))), env).toEqual([]);
    }
  });

  it("points at the line in settings.yaml", () => {
    edit("overlays/dev/settings.yaml", (s) => s.replace("    LOG_LEVEL: DEBUG\n", "    LOG_LEVLE: DEBUG\n"));
    const [w] = gatewayConfigWarnings(copy, "dev", loadSettingsFile(path.join(copy, "overlays/dev/settings.yaml")));
    const line = fs.readFileSync(path.join(copy, "overlays/dev/settings.yaml"), "utf8").split("\n").findIndex((l) => l.includes("LOG_LEVLE")) + 1;
    expect(w).toEqual({
      target: "dev",
      code: "unknown-gateway-config",
      file: "overlays/dev/settings.yaml",
      line,
      message: "gateway.config.LOG_LEVLE is not a setting gateway v1.0.8 reads, so it is ignored: did you mean LOG_LEVEL?",
    });
  });
});

describe("--kubernetes-version without schemas", () => {
  it("is one usage error listing the versions there are", () => {
    expect(() => checkSchemasForVersion("1.30.0")).toThrow(/^no schemas for Kubernetes 1\.30\.0 in .*schemas$/);
    try {
      checkSchemasForVersion("1.30.0");
    } catch (err) {
      expect((err as { format(): string }).format()).toContain("one of the available versions: 1.36.2, 1.33.1; or add it with npm run schemas -- --kubernetes-version 1.30.0");
    }
    expect(() => checkSchemasForVersion("1.33.1")).not.toThrow();
  });

  it("honours --schema-location (an empty folder has no versions)", async () => {
    const empty = fs.mkdtempSync(path.join(copy, "empty-"));
    await expect(runGate({ root: copy, schemaLocations: [empty] })).rejects.toThrow(/no schemas for Kubernetes 1\.36\.2/);
  });
});
