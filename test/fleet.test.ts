// Fleets: an environment in several clusters. Cluster overlays generated on top of the environment's overlay,
// one ApplicationSet with a list generator and RollingSync over them, and the settings that keep clusters apart.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { kustomizeBuild } from "../scripts/lib/kustomize.ts";
import { listClusterOverlays } from "../scripts/lib/overlays.ts";
import { loadEnvironments } from "../scripts/lib/overlays.ts";
import { argoCdObjects } from "../scripts/generate/argocd.ts";
import { STAGE_LABEL } from "../scripts/settings/derived.ts";
import { strategicMergePatch } from "../scripts/generate/strategic-merge.ts";
import { plain } from "../scripts/generate/emit.ts";
import { parseSettings } from "../scripts/settings/load.ts";
import { buildClusterStack, clusterJobSuffix } from "../scripts/stack/fleet.ts";
import { validateDocuments } from "../scripts/validate/engine.ts";

type Any = Record<string, any>;
const envs = loadEnvironments(path.join(REPO_ROOT, "overlays"));
const eks = envs.get("eks")!;
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Any).filter(Boolean);
const find = (objects: Any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;

describe("the example fleet (eks in three clusters)", () => {
  it("settings list three clusters over two stages, and one folder each is generated", () => {
    expect(eks.clusters.map((c) => `${c.name}:${c.stage}`)).toEqual(["eu-canary:canary", "eu-production:production", "us-production:production"]);
    expect(listClusterOverlays(REPO_ROOT).map((c) => c.dir)).toEqual(eks.clusters.map((c) => `clusters/eks/${c.name}`));
  });

  for (const c of eks.clusters) {
    it(`clusters/eks/${c.name} builds on its own, on overlays/eks, with this cluster's identities`, async () => {
      const dir = path.join(REPO_ROOT, "clusters", "eks", c.name);
      const kustomization = parse(fs.readFileSync(path.join(dir, "kustomization.yaml"), "utf8"));
      // On the environment's overlay, adding nothing of its own.
      expect(kustomization.resources).toEqual(["../../../overlays/eks"]);
      const objects = docs((await kustomizeBuild(dir)).yaml);
      expect(find(objects, "Ingress", "mcp-gateway").spec.rules[0].host).toBe(c.host);
      expect(find(objects, "ServiceAccount", "mcp-gateway").metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(c.gatewayRoleArn);
      const es = find(objects, "ExternalSecret", "mcp-gateway-credentials");
      expect(new Set(es.spec.data.map((d: Any) => d.remoteRef.key))).toEqual(new Set([`${c.secretStorePrefix}/mcp-gateway-credentials`]));
      const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("mcp-gateway-config-"))!;
      expect(config.data.APP_DOMAIN).toBe(`https://${c.host}`);
      // The Deployment refers to the cluster's own (re-hashed) ConfigMap.
      expect(JSON.stringify(find(objects, "Deployment", "mcp-gateway"))).toContain(config.metadata.name);
      const backupEnv = Object.fromEntries(find(objects, "CronJob", "postgres-backup").spec.jobTemplate.spec.template.spec.containers[0].env.map((e: Any) => [e.name, e.value]));
      expect(backupEnv).toMatchObject({ PREFIX: c.backup!.prefix, AWS_DEFAULT_REGION: c.region });
      // What the generator proved, checked once more here: the build is the model of the cluster's settings.
      const model = buildClusterStack(eks, c).map((o) => plain(o.object) as Any);
      const unhashed = (o: Any) => (["ConfigMap", "Secret"].includes(o.kind) ? o.metadata.name.replace(/-[a-z0-9]{10}$/, "") : o.metadata.name);
      expect(objects.map((o) => `${o.kind}/${unhashed(o)}`).sort()).toEqual(
        model.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
      );
      // Every patch names the cluster settings that produced it; none names a Job (their names carry the version).
      for (const p of kustomization.patches ?? []) {
        expect(p.patch).toBeUndefined();
        expect(fs.readFileSync(path.join(dir, p.path), "utf8").split("\n")[1]).toMatch(/^# (Sets clusters\[\d\]\.\w+|Not in this cluster)/);
        // Jobs are selected by kind or label; any other object by its exact name (never by a namespace in the patch).
        if (p.target?.kind === "Job") expect(p.target).not.toHaveProperty("name");
        else if (p.target) expect(p.target.name).toMatch(/^\^[a-z0-9.\\-]+\$$/);
        expect(fs.readFileSync(path.join(dir, p.path), "utf8")).not.toMatch(/^  namespace:/m);
      }
      // The Jobs get the cluster's suffix from one transformer, and nothing else does.
      expect(kustomization.transformers).toHaveLength(1);
      expect(parse(kustomization.transformers[0])).toMatchObject({ kind: "PrefixSuffixTransformer", suffix: clusterJobSuffix(c), fieldSpecs: [{ kind: "Job", path: "metadata/name" }] });
      for (const o of objects) if (o.kind !== "Job") expect(o.metadata.name).not.toContain(clusterJobSuffix(c));
    });
  }

  it("nodeSelector of a cluster reaches every pod there, and only there", async () => {
    const us = docs((await kustomizeBuild(path.join(REPO_ROOT, "clusters/eks/us-production"))).yaml);
    const eu = docs((await kustomizeBuild(path.join(REPO_ROOT, "clusters/eks/eu-production"))).yaml);
    const pods = (objects: Any[]) => objects.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind)).map((o) => o.spec.template.spec.nodeSelector ?? {});
    for (const sel of pods(us)) expect(sel).toMatchObject({ "topology.kubernetes.io/region": "us-east-1" });
    for (const sel of pods(eu)) expect(sel["topology.kubernetes.io/region"]).toBeUndefined();
  });
});

describe("ApplicationSet", () => {
  const objects = argoCdObjects(envs, REPO_ROOT).map((o) => plain(o) as Any);
  const set = find(objects, "ApplicationSet", "mcp-stack-eks");

  it("a list generator yields exactly the generated cluster overlays, with their destinations", () => {
    const elements = set.spec.generators[0].list.elements;
    expect(elements.map((e: Any) => e.path)).toEqual(listClusterOverlays(REPO_ROOT).filter((c) => c.env === "eks").map((c) => c.dir));
    expect(elements.map((e: Any) => e.destinationName)).toEqual(eks.clusters.map((c) => c.destination.name));
    expect(set.spec.template.spec.destination).toEqual({ name: "{{.destinationName}}", namespace: "mcp" });
    expect(set.spec.template.spec.source.path).toBe("{{.path}}");
  });

  it("goTemplate with missingkey=error, RollingSync by stage label with maxUpdate from settings", () => {
    expect(set.spec.goTemplate).toBe(true);
    expect(set.spec.goTemplateOptions).toEqual(["missingkey=error"]);
    expect(set.spec.strategy).toEqual({
      type: "RollingSync",
      rollingSync: {
        steps: eks.argocd.rollout.map((r) => ({ matchExpressions: [{ key: STAGE_LABEL, operator: "In", values: [r.stage] }], maxUpdate: r.maxUpdate })),
      },
    });
    expect(set.spec.template.metadata.labels[STAGE_LABEL]).toBe("{{.stage}}");
  });

  it("the Applications' sync options, ignoreDifferences and finalizer; deleting the set keeps the fleet running", () => {
    const t = set.spec.template;
    expect(t.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    expect(t.spec.syncPolicy.syncOptions).toEqual(["CreateNamespace=true", "PruneLast=true", "RespectIgnoreDifferences=true"]);
    expect(t.spec.ignoreDifferences).toEqual([{ group: "apps", kind: "Deployment", name: "mcp-gateway", namespace: "mcp", jsonPointers: ["/spec/replicas"] }]);
    // RollingSync triggers the syncs itself (Argo CD disables automated sync on the Applications it drives).
    expect(t.spec.syncPolicy.automated).toBeUndefined();
    expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
  });

  it("the AppProject's destinations are every cluster and namespace, nothing more", () => {
    const project = find(objects, "AppProject", "mcp-stack");
    expect(project.spec.destinations).toEqual([
      ...eks.clusters.map((c) => ({ name: c.destination.name, namespace: "mcp" })),
      { server: "https://kubernetes.default.svc", namespace: "mcp" },
    ]);
  });

  it("is valid against the ApplicationSet CRD schema", async () => {
    const report = await validateDocuments([{ filename: "appset.yaml", content: stringify(set) }], { kubernetesVersion: "1.36.2", strict: true });
    expect(report.resources.map((r) => r.status)).toEqual(["statusValid"]);
  });

  it("a one-cluster environment keeps a single Application", () => {
    expect(find(objects, "Application", "mcp-stack-manual-pv").spec.source.path).toBe("overlays/manual-pv");
  });
});

describe("fleet settings", () => {
  const base = fs.readFileSync(path.join(REPO_ROOT, "overlays/eks/settings.yaml"), "utf8");
  const withClusters = (clusters: Any[], extra: Any = {}) => {
    const raw = parse(base);
    return stringify({ ...raw, ...extra, clusters });
  };
  const c = (name: string, more: Any = {}) => ({ name, stage: "production", destination: { name: `k-${name}` }, host: `${name}.example.com`, secretStorePrefix: `p/${name}`, backup: { prefix: `${name}/pg` }, ...more });
  const load = (text: string) => parseSettings(text, "overlays/eks/settings.yaml");

  it("two clusters with one host or secret path are refused unless both declare the sharing", () => {
    expect(() => load(withClusters([c("a"), c("b", { host: "a.example.com" })]))).toThrow(/clusters\.1\.host: host a\.example\.com is also clusters\.0 \(a\)'s/);
    expect(() => load(withClusters([c("a"), c("b", { secretStorePrefix: "p/a" })]))).toThrow(/clusters\.1\.secretStorePrefix/);
    expect(() => load(withClusters([c("a"), c("b", { backup: { prefix: "a/pg" } })]))).toThrow(/clusters\.1\.backup: backup s3:\/\/mcp-stack-eks-backups\/a\/pg/);
    expect(() => load(withClusters([c("a", { shares: ["host"] }), c("b", { host: "a.example.com", shares: ["host"] })]))).not.toThrow();
    // Without their own host both inherit the environment's.
    expect(() => load(withClusters([c("a", { host: undefined }), c("b", { host: undefined })]))).toThrow(/host mcp\.example\.com is also/);
  });

  it("names, stages and destinations are checked with their key paths", () => {
    expect(() => load(withClusters([c("a"), c("a", { destination: { name: "other" } })]))).toThrow(/clusters\.1\.name: a is also clusters\.0/);
    expect(() => load(withClusters([c("a", { stage: "qa" })]))).toThrow(/clusters\.0\.stage: stage qa is not in argocd\.rollout \(canary, production\)/);
    expect(() => load(withClusters([c("a", { destination: { name: "x", server: "https://x" } })]))).toThrow(/clusters\.0\.destination: both server and name/);
    expect(() => load(withClusters([c("a"), c("b", { destination: { server: "https://b" } })]))).toThrow(/one kind of destination/);
    expect(() => load(withClusters([c("a"), c("b", { destination: { name: "k-a" } })]))).toThrow(/cluster k-a is also the destination of clusters\.0/);
  });

  it("a fleet needs credentials Argo CD can sync, and per-cluster values the environment uses", () => {
    const dev = fs.readFileSync(path.join(REPO_ROOT, "overlays/dev/settings.yaml"), "utf8");
    expect(() => load(stringify({ ...parse(dev), clusters: [c("a", { secretStorePrefix: undefined, backup: undefined })] }))).toThrow(/clusters: local credentials/);
    expect(() => load(withClusters([c("a", { region: "us-east-1" })], { backup: { enabled: false } }))).toThrow(/clusters\.0\.backup: the environment has no S3 backup/);
  });
});

describe("strategic merge for cluster overlays", () => {
  it("merges containers and env by name, keeping the order by naming every item", () => {
    const have = { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", env: [{ name: "X", value: "1" }, { name: "Y", value: "2" }] }] } };
    const want = { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", env: [{ name: "X", value: "1" }, { name: "Y", value: "3" }] }] } };
    expect(strategicMergePatch(have, want)).toEqual({ spec: { containers: [{ name: "a", env: [{ name: "X" }, { name: "Y", value: "3" }] }] } });
  });
  it("gives other lists whole (CRD lists have no merge key), and removed keys as null", () => {
    const crd = (spec: object) => ({ apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", spec });
    expect(strategicMergePatch(crd({ data: [{ name: "k", v: 1 }], a: 1 }), crd({ data: [{ name: "k", v: 2 }] }))).toEqual({ spec: { data: [{ name: "k", v: 2 }], a: null } });
    const pod = (env: object[]) => ({ apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "c", env }] } });
    expect(strategicMergePatch(pod([{ name: "A" }]), pod([]))).toEqual({ spec: { containers: [{ name: "c", env: [{ name: "A", $patch: "delete" }] }] } });
  });
});

describe("deployability of cluster overlays", () => {
  it("each cluster is analysed with its own settings: a secret-store path the store lacks stops that cluster's first sync", async () => {
    const { analyseEnvironment, clusterInput } = await import("../scripts/deployability/run.ts");
    const c = eks.clusters[1]!;
    const yaml = (await kustomizeBuild(path.join(REPO_ROOT, "clusters", "eks", c.name))).yaml;
    const clean = analyseEnvironment(clusterInput("eks", c.name, yaml, eks));
    expect(clean.findings.filter((f) => !f.exempted)).toEqual([]);
    const missing = { ...eks, cluster: { ...eks.cluster, remoteSecrets: eks.cluster.remoteSecrets.filter((k) => !k.startsWith(`${c.secretStorePrefix}/`)) } };
    const report = analyseEnvironment(clusterInput("eks", c.name, yaml, missing));
    expect(report.findings.filter((f) => f.ruleId === "first-sync-never-healthy").map((f) => f.object.name).sort()).toEqual([
      "mcp-gateway-credentials",
      "postgres-credentials",
      "redis-credentials",
    ]);
    expect(report.findings[0]!.message).toContain(`${c.secretStorePrefix}/`);
  });
});
