// The Argo CD objects: schema-valid against the CRDs, one Application per overlay that enables delivery
// (each path an existing overlay), an AppProject admitting exactly what the overlays render, and the sync order.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";
import { CACHE_DIR, REPO_ROOT, SCHEMAS_DIR } from "../../scripts/lib/paths.ts";
import { kustomizeBuild } from "../../scripts/lib/kustomize.ts";
import { listOverlays } from "../../scripts/lib/overlays.ts";
import { renderOverlays } from "../../scripts/lib/render.ts";
import { loadEnvironments } from "../../scripts/lib/overlays.ts";
import { argoCdObjects, SYNC_OPTIONS } from "../../scripts/generate/argocd.ts";
import { applicationName } from "../../scripts/settings/derived.ts";
import { parseSettings } from "../../scripts/settings/load.ts";
import { buildStack } from "../../scripts/stack/index.ts";
import { SYNC_WAVE_ANNOTATION, WAVES } from "../../scripts/stack/sync-waves.ts";
import { plain } from "../../scripts/generate/emit.ts";

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: any;
};
const parse = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Obj).filter(Boolean);

const rootObjects = parse((await kustomizeBuild(REPO_ROOT)).yaml);

/**
 * ajv's validator of a CRD schema, as standalone code kept in .cache/argocd-crd-validators under the hash of the
 * schema, ajv's version and the options: compiling the ApplicationSet schema (390 KB) took seconds every run.
 */
const AJV_OPTIONS = { strict: false, allErrors: true, logger: false } as const;
const validators = new Map<string, ValidateFunction>();
function crdValidator(file: string): ValidateFunction {
  const known = validators.get(file);
  if (known) return known;
  const text = fs.readFileSync(file, "utf8");
  const ajvVersion = (createRequire(import.meta.url)("ajv/package.json") as { version: string }).version;
  const key = createHash("sha256").update(`${ajvVersion}\0${JSON.stringify(AJV_OPTIONS)}\0`).update(text).digest("hex").slice(0, 32);
  // Inside the repository, so the code's require("ajv/dist/runtime/...") finds this checkout's ajv.
  const stored = path.join(CACHE_DIR, "argocd-crd-validators", `${key}.cjs`);
  if (!fs.existsSync(stored)) {
    const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
    const { default: standaloneCode } = createRequire(import.meta.url)("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js");
    const code = standaloneCode(ajv, ajv.compile(JSON.parse(text)));
    fs.mkdirSync(path.dirname(stored), { recursive: true });
    fs.writeFileSync(`${stored}.${process.pid}.tmp`, code);
    fs.renameSync(`${stored}.${process.pid}.tmp`, stored);
  }
  const validate = createRequire(import.meta.url)(stored) as ValidateFunction;
  validators.set(file, validate);
  return validate;
}
const envs = loadEnvironments(path.join(REPO_ROOT, "overlays"));

describe("root kustomization (Argo CD objects)", () => {
  it("validates every object against the Argo CD CRD schemas", () => {
    const schemas: Record<string, string> = { Application: "application", AppProject: "appproject", ApplicationSet: "applicationset" };
    expect(rootObjects.length).toBeGreaterThan(0);
    for (const o of rootObjects) {
      expect(o.apiVersion).toBe("argoproj.io/v1alpha1");
      const validate = crdValidator(path.join(SCHEMAS_DIR, "crds", "argoproj.io", `${schemas[o.kind]}_v1alpha1.json`));
      const ok = validate(o);
      expect(ok, `${o.kind}/${o.metadata.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(o.metadata.namespace).toBe("argocd");
    }
  });

  it("has one Application per overlay that enables Argo CD without a fleet, each path an existing overlay", () => {
    const apps = rootObjects.filter((o) => o.kind === "Application");
    const enabled = [...envs].filter(([, s]) => s.argocd.enabled && !s.clusters.length).map(([env]) => env).sort();
    expect(enabled).toEqual(["manual-pv"]);
    expect(rootObjects.filter((o) => o.kind === "ApplicationSet").map((o) => o.metadata.name)).toEqual(["mcp-stack-eks"]);
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(enabled.map((e) => applicationName(e)));
    for (const app of apps) {
      const p = app.spec.source.path as string;
      expect(fs.existsSync(path.join(REPO_ROOT, p, "kustomization.yaml")), p).toBe(true);
      expect(listOverlays()).toContain(path.basename(p));
      const s = envs.get(path.basename(p))!;
      expect(app.spec.destination.namespace).toBe(s.namespace);
      expect(app.spec.source.repoURL).toBe(s.argocd.repoURL);
      expect(app.spec.syncPolicy.syncOptions).toEqual([...SYNC_OPTIONS]);
      expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    }
    // manual-pv goes to the cluster Argo CD runs in (eks is a fleet: test/fleet.test.ts).
    expect(apps.find((a) => a.metadata.name === "mcp-stack-manual-pv")!.spec.destination.server).toBe("https://kubernetes.default.svc");
  });

  it("ignores the replica count of HPA-scaled Deployments, and only where an HPA exists", () => {
    const eks = rootObjects.find((o) => o.metadata.name === "mcp-stack-eks")!.spec.template;
    expect(eks.spec.ignoreDifferences).toEqual([
      { group: "apps", kind: "Deployment", name: "mcp-gateway", namespace: "mcp", jsonPointers: ["/spec/replicas"] },
    ]);
    expect(eks.spec.syncPolicy.syncOptions).toContain("RespectIgnoreDifferences=true");
  });

  it("the AppProject admits this repository, the destinations and exactly the kinds the overlays render", async () => {
    const project = rootObjects.find((o) => o.kind === "AppProject")!;
    expect(project.spec.sourceRepos).toEqual(["https://github.com/example-org/mcp-stack-gitops.git"]);
    const rendered = (await renderOverlays(envs, ["eks", "manual-pv"])).map((r) => r.yaml).flatMap(parse);
    const gk = (o: Obj) => `${o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : ""}/${o.kind}`;
    const cluster = new Set(rendered.filter((o) => !o.metadata.namespace).map(gk));
    const namespaced = new Set(rendered.filter((o) => o.metadata.namespace).map(gk));
    const listed = (l: { group: string; kind: string }[]) => new Set(l.map((x) => `${x.group}/${x.kind}`));
    expect(listed(project.spec.clusterResourceWhitelist)).toEqual(cluster);
    expect(listed(project.spec.namespaceResourceWhitelist)).toEqual(namespaced);
    expect(cluster).toEqual(new Set(["/Namespace", "/PersistentVolume", "storage.k8s.io/StorageClass"]));
  });

  it("refuses two environments on one cluster and namespace", () => {
    const eks = envs.get("eks")!;
    const clash = new Map([...envs, ["eks", { ...eks, clusters: [], argocd: { ...eks.argocd, destination: {} } }]]);
    expect(() => argoCdObjects(clash)).toThrow(/manual-pv would both deploy to https:\/\/kubernetes.default.svc namespace mcp/);
  });
});

describe("settings", () => {
  it("refuses Argo CD for an environment with local credentials, naming the key and what is expected", () => {
    expect(() => parseSettings("credentials:\n  source: local\n", "overlays/x/settings.yaml")).toThrow(
      /overlays\/x\/settings.yaml:1: argocd.enabled: local credentials .* \(expected false, or credentials.source existingSecrets\/externalSecrets\)/,
    );
  });
  it("fast-time registration: the derived SSRF allowlist admits the Service CIDRs; an override that drops them is refused", () => {
    expect(() => parseSettings("postSyncTests:\n  registerFastTime: true\n", "s.yaml")).not.toThrow();
    expect(() =>
      parseSettings('postSyncTests:\n  registerFastTime: true\ngateway:\n  config:\n    SSRF_ALLOWED_NETWORKS: \'["192.168.0.0/16"]\'\n', "s.yaml"),
    ).toThrow(/gateway.config.SSRF_ALLOWED_NETWORKS: .*SSRF/);
    expect(() =>
      parseSettings('postSyncTests:\n  registerFastTime: true\ngateway:\n  config:\n    SSRF_ALLOWED_NETWORKS: \'["10.96.0.0/12"]\'\n', "s.yaml"),
    ).not.toThrow();
  });
});

describe("sync waves and hooks", () => {
  const s = parseSettings(
    'postSyncTests:\n  registerFastTime: true\ngateway:\n  config:\n    SSRF_ALLOW_PRIVATE_NETWORKS: "true"\nredis:\n  persistence:\n    enabled: true\n',
    "t.yaml",
  );
  const objects = buildStack({ settings: s }).map((o) => plain(o.object) as Obj);
  // Job names carry a hash of what they run (mcp-migration-v1-0-8-<hash>): found by their prefix.
  const named = (name: string) => (x: Obj) => x.metadata.name === name || x.metadata.name.startsWith(`${name}-v1-0-8-`);
  const wave = (kind: string, name: string) => {
    const o = objects.find((x) => x.kind === kind && named(name)(x));
    expect(o, `${kind}/${name}`).toBeDefined();
    return Number(o!.metadata.annotations?.[SYNC_WAVE_ANNOTATION]);
  };

  it("annotates every object with a wave", () => {
    for (const o of objects) expect(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION], `${o.kind}/${o.metadata.name}`).toMatch(/^-?\d+$/);
  });

  it("orders config, data stores, migration, apps, ingress, post-sync tests", () => {
    const config = ["Namespace/mcp", "ServiceAccount/mcp-gateway", "NetworkPolicy/default-deny-all", "NetworkPolicy/postgres"].map((id) => wave(...(id.split("/") as [string, string])));
    const data = [wave("StatefulSet", "postgres"), wave("Deployment", "redis"), wave("PersistentVolumeClaim", "postgres-data"), wave("PersistentVolumeClaim", "redis-data")];
    const migration = wave("Job", "mcp-migration");
    const apps = [wave("Deployment", "mcp-gateway"), wave("Deployment", "fast-time-server"), wave("HorizontalPodAutoscaler", "mcp-gateway")];
    const edge = wave("Ingress", "mcp-gateway");
    expect(new Set(config)).toEqual(new Set([WAVES.config]));
    expect(new Set(data)).toEqual(new Set([WAVES.data]));
    expect(Math.max(...config)).toBeLessThan(Math.min(...data));
    expect(Math.max(...data)).toBeLessThan(migration);
    expect(migration).toBeLessThan(Math.min(...apps));
    expect(Math.max(...apps)).toBeLessThan(edge);
    expect(edge).toBeLessThan(wave("Job", "mcp-smoke-test"));
  });

  it("runs the migration as a Sync hook and the tests as PostSync hooks", () => {
    const hook = (name: string) => objects.find((o) => o.kind === "Job" && named(name)(o))!.metadata.annotations!;
    expect(hook("mcp-migration")["argocd.argoproj.io/hook"]).toBe("Sync");
    for (const job of ["mcp-smoke-test", "mcp-register-fast-time"]) {
      expect(hook(job)["argocd.argoproj.io/hook"]).toBe("PostSync");
      expect(hook(job)["argocd.argoproj.io/hook-delete-policy"]).toBe("HookSucceeded,BeforeHookCreation");
    }
  });

  it("keeps data volumes and the namespace on prune and on Application deletion", () => {
    for (const o of objects.filter((x) => ["PersistentVolumeClaim", "Namespace"].includes(x.kind))) {
      expect(o.metadata.annotations?.["argocd.argoproj.io/sync-options"], `${o.kind}/${o.metadata.name}`).toBe("Prune=false,Delete=false");
    }
  });

  it("mints the registration token from the Secret's env, never a literal, and lets the tests reach only the gateway", () => {
    const job = objects.find((o) => o.kind === "Job" && named("mcp-register-fast-time")(o))!;
    const c = job.spec.template.spec.containers[0];
    expect(c.command.join(" ")).toContain('--secret "$JWT_SECRET_KEY"');
    expect(c.env).toContainEqual({ name: "JWT_SECRET_KEY", valueFrom: { secretKeyRef: { name: "mcp-gateway-credentials", key: "JWT_SECRET_KEY" } } });
    expect(c.env).toContainEqual({ name: "MCP_SERVER_URL", value: "http://fast-time-server.mcp.svc.cluster.local/http" });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    const policy = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "mcp-post-sync")!;
    expect(policy.spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "mcp-gateway", "app.kubernetes.io/instance": "mcp-stack" } } }], ports: [{ protocol: "TCP", port: 4444 }] }]);
    const gateway = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "mcp-gateway")!;
    expect(JSON.stringify(gateway.spec.ingress)).toContain('"app.kubernetes.io/name":"mcp-post-sync"');
  });
});
