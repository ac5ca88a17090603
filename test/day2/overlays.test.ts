// The day-2 components as kustomize builds them: on in eks, off in dev (and the other overlays), valid
// against the shared schemas (Prometheus Operator CRDs included) and clean under the production policy.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderEnv, render, settingsFrom, toYaml, type Any } from "./helpers.ts";
import { COMPONENTS_DIR, REPO_ROOT } from "../../scripts/lib/paths.ts";
import { validateDocuments } from "../../scripts/validate/engine.ts";
import { evaluate } from "../../policy/engine.ts";
import { loadPolicyConfig } from "../../policy/run.ts";
import { parseManifests } from "@mcp-stack/policy-engine";

const eks = await renderEnv("eks");
const ids = (objects: Any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
const DAY2 = [
  "ServiceMonitor/mcp-gateway",
  "ServiceMonitor/postgres-exporter",
  "ServiceMonitor/redis-exporter",
  "PrometheusRule/mcp-stack",
  "ConfigMap/mcp-stack-grafana-dashboard",
  "Deployment/postgres-exporter",
  "Deployment/redis-exporter",
  "CronJob/postgres-backup",
  "CronJob/postgres-restore",
  "Role/mcp-metrics-token",
];

describe("components on disk", () => {
  for (const name of ["monitoring", "backup-volume", "backup-s3", "external-secrets", "ingress", "gateway-api"]) {
    it(`components/${name} is a Kustomize Component listing every file it holds`, () => {
      const dir = path.join(COMPONENTS_DIR, name);
      const k = parse(fs.readFileSync(path.join(dir, "kustomization.yaml"), "utf8"));
      expect(k).toMatchObject({ apiVersion: "kustomize.config.k8s.io/v1alpha1", kind: "Component" });
      const files = fs.readdirSync(dir).filter((f) => f !== "kustomization.yaml");
      expect([...k.resources].sort()).toEqual(files.sort());
    });
  }
});

describe("overlays", () => {
  it("eks switches on monitoring, S3 backups, External Secrets and Ingresses", () => {
    const k = parse(fs.readFileSync(path.join(REPO_ROOT, "overlays/eks/kustomization.yaml"), "utf8"));
    expect(k.components).toEqual(["../../components/monitoring", "../../components/backup-s3", "../../components/external-secrets", "../../components/ingress", "../../components/velero"]);
    expect(ids(eks)).toEqual(expect.arrayContaining(DAY2));
  });
  for (const env of ["dev", "minikube", "manual-pv"]) {
    it(`${env} renders none of it`, async () => {
      const k = parse(fs.readFileSync(path.join(REPO_ROOT, `overlays/${env}/kustomization.yaml`), "utf8"));
      expect(k.components ?? []).not.toContain("../../components/monitoring");
      expect(k.components ?? []).not.toContain("../../components/backup-s3");
      expect(k.components ?? []).not.toContain("../../components/backup-volume");
      const objects = await renderEnv(env);
      expect(objects.filter((o) => ["ServiceMonitor", "PrometheusRule", "CronJob"].includes(o.kind))).toEqual([]);
      expect(ids(objects)).not.toContain("ConfigMap/mcp-stack-grafana-dashboard");
    });
  }
  it("eks: the Prometheus Operator objects carry the release label and the restore template stays suspended", () => {
    for (const o of eks.filter((x) => ["ServiceMonitor", "PrometheusRule"].includes(x.kind))) {
      expect(o.metadata.labels.release).toBe("kube-prometheus-stack");
    }
    expect(eks.find((o) => o.kind === "CronJob" && o.metadata.name === "postgres-restore")!.spec.suspend).toBe(true);
  });
});

/** The volume target and every knob the eks overlay does not exercise, rendered by the model. */
const variant = render(
  settingsFrom(
    [
      "monitoring: { enabled: true, grafanaFolder: MCP }",
      "backup: { enabled: true, target: volume, volume: { size: 5Gi } }",
      "velero: { enabled: true }",
      "redis: { persistence: { enabled: true } }",
    ].join("\n") + "\n",
  ),
).all;

describe("schemas (the shipped schemas/, CRDs included)", () => {
  for (const [label, yaml] of [
    ["kustomize build overlays/eks", toYaml(eks)],
    ["the volume-target variant", toYaml(variant)],
  ] as const) {
    it(`${label}: every object is valid, none skipped`, async () => {
      const report = await validateDocuments([{ filename: label, content: yaml }], { workers: 1 });
      const bad = report.resources.filter((r) => r.status !== "statusValid");
      expect(bad.map((r) => `${r.kind}/${r.name}: ${r.msg}`)).toEqual([]);
      const kinds = new Set(report.resources.map((r) => r.kind));
      for (const k of ["ServiceMonitor", "PrometheusRule", "CronJob", "NetworkPolicy"]) expect(kinds.has(k), k).toBe(true);
    });
  }
  it("a ServiceMonitor with a wrong field is rejected (the CRD schema is really applied)", async () => {
    const sm = { ...eks.find((o) => o.kind === "ServiceMonitor")! };
    sm.spec = { ...sm.spec, endpoints: [{ ...sm.spec.endpoints[0], authorization: { type: "Bearer", credentials: { nam: "x" } } }] };
    const report = await validateDocuments([{ filename: "bad.yaml", content: toYaml([sm]) }], { workers: 1 });
    expect(report.resources[0]!.status).toBe("statusInvalid");
  });
});

describe("policy engine, production profile", () => {
  const day2Names = new Set([
    "mcp-gateway",
    "postgres-exporter",
    "redis-exporter",
    "mcp-stack",
    "mcp-stack-grafana-dashboard",
    "postgres-backup",
    "postgres-restore",
    "postgres-backups",
    "mcp-gateway-from-prometheus",
    "postgres-from-postgres-exporter",
    "redis-from-redis-exporter",
    "postgres-from-postgres-backup",
    "mcp-gateway-metrics-token",
  ]);
  for (const [label, yaml] of [
    ["kustomize build overlays/eks", toYaml(eks)],
    ["the volume-target variant", toYaml(variant)],
  ] as const) {
    it(`${label}: no error; the day-2 objects raise nothing but digest pinning`, () => {
      // With the project's policy configuration, as the gate runs it (its exemptions carry reasons).
      const report = evaluate(parseManifests(yaml, label), { profile: "production", config: loadPolicyConfig() });
      const open = report.findings.filter((f) => !f.exempted);
      expect(open.filter((f) => f.severity === "error").map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name}: ${f.message}`)).toEqual([]);
      const mine = open.filter((f) => day2Names.has(f.object.name) && f.ruleId !== "image-digest");
      expect(mine.map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name}: ${f.message}`)).toEqual([]);
    });
  }
});
