// Every documented setting works, with a test each: the list is the settings schema's leaves (a new setting gets a
// test here without anyone writing one, and fails until its value reaches what it documents). Each setting gets a
// valid non-default value — derived from its schema (enum, boolean, number, pattern) unless VALUES says otherwise —
// and, where the stack renders it, must change the rendered objects and (for text and numbers) appear in them.
//  1. per setting, in-process: the model of the defaults (plus the context the setting needs) against the same
//     with the value: what changed must carry the value;
//  2. per environment, with kustomize: all of them at once (in as few groups as their conflicts allow) on top of each
//     environment's settings.yaml, generated and built; every text and number value is in the rendered objects.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { settingsSchema, type Settings } from "../scripts/settings/schema.ts";
import { settingsFromObject, SettingsError } from "../scripts/settings/load.ts";
import { buildStack } from "../scripts/stack/index.ts";
import { buildClusterStack } from "../scripts/stack/fleet.ts";
import { plain, toYaml } from "../scripts/generate/emit.ts";
import { planArgoCd } from "../scripts/generate/argocd.ts";
import { environmentProblems } from "../scripts/settings/environments.ts";
import { analyseEnvironment } from "../scripts/deployability/run.ts";
import { parseManifests } from "@mcp-stack/policy-engine";
import { evaluate } from "../policy/engine.ts";
import { SECRETS } from "../scripts/stack/credentials.ts";
import { extraFiles } from "../scripts/lib/extras.ts";
import { helmCutover } from "../scripts/notes/helm-cutover.ts";
import { copyRepo } from "./helpers/repo.ts";
import { merge, at, type Json } from "./helpers/render.ts";
import { runInProcess } from "./helpers/in-process.ts";
import { main as generateMain } from "../scripts/generate.ts";
import { kustomizeBuild } from "../scripts/lib/kustomize.ts";
import { loadAllAsYaml11 } from "../scripts/lib/yaml.ts";
import { memoized, textInput } from "../scripts/generate/memo.ts";

type Node = { type?: string; enum?: readonly unknown[]; default?: unknown; minimum?: number; maximum?: number; pattern?: string; properties?: Record<string, Node>; items?: Node; additionalProperties?: unknown };

/** Every leaf of the schema: a scalar, a list or a map (objects with properties are walked into). */
function leaves(node: Node = settingsSchema as unknown as Node, p: string[] = []): { path: string[]; node: Node }[] {
  if (node.type === "object" && node.properties) return Object.entries(node.properties).flatMap(([k, c]) => leaves(c, [...p, k]));
  return [{ path: p, node }];
}

/** Where a setting shows: in the stack's objects (default), the Argo CD objects, a fleet's cluster overlays, or elsewhere. */
type Lands = "stack" | "argocd" | "clusters" | "deployability" | { elsewhere: string; check: (after: Settings) => void };

interface Case {
  value: unknown;
  /** The context of the render it is compared with, when not `with` plus the default. */
  before?: Json;
  /** Settings the value needs to take effect (or to be valid), applied in both renders. */
  with?: Json;
  lands?: Lands;
  /** The value as it appears in the rendered objects, when not as written (e.g. a list item). */
  shows?: (string | number)[];
}

const QUANTITY = "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$";
/** A valid sample per schema pattern (the settings below that need more give their own value). */
const BY_PATTERN: Record<string, string> = {
  "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$": "each-setting",
  "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$": "each.example.org",
  "^[0-9a-fA-F.:]+/[0-9]{1,3}$": "10.123.0.0/16",
  "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$": "v9.9.9",
  "^sha256:[a-f0-9]{64}$": `sha256:${"ab".repeat(32)}`,
  "^/": "/srv/each",
  "^/[a-z0-9-]+$": "/each-path",
  "^[0-9]+(s|m|h)$": "7m",
  "^[0-9]+(s|m)$": "7m",
  "^[a-z_][a-z0-9_]*$": "each_db",
  "^https?://": "https://each.example.org/runbooks",
  "^[^\\n]*$": "each value",
  "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$": "each-bucket",
  "^[A-Za-z0-9][A-Za-z0-9._/-]*[A-Za-z0-9]$": "each/prefix",
  "^[a-z0-9-]+$": "ap-south-2",
  "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$": "each.example.org",
  "^(|([0-9]{1,5}(h|m|s|ms)){1,4})$": "77s",
  "^arn:aws[a-z-]*:acm:": "arn:aws:acm:eu-west-1:123456789012:certificate/each",
  "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$": "each-claim",
  "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$": "each/data",
  "^([1-9][0-9]?|100)%$": "37%",
  "^arn:": "arn:aws:iam::123456789012:role/each",
};

const MONITORING = { monitoring: { enabled: true } };
const BACKUP_S3 = { backup: { enabled: true, target: "s3", s3: { bucket: "each-bucket" } } };
const GATEWAY_API = { ingress: { kind: "gateway-api" } };
const MANUAL = (store: string) => ({ [store]: { persistence: { enabled: true, manualVolume: { type: "nfs", path: "/exports/x", server: "nfs.example.org" } } } });
const TLS = { ingress: { tls: { enabled: true } } };
/** A data store on a claim taken over from a Helm release. */
const ADOPTED = { postgres: { persistence: { existingClaim: "data-each-postgresql-0" } } };

/** Values and contexts the schema cannot give: a value valid with the others, or a context it needs to show. */
const VALUES: Record<string, Case> = {
  labels: { value: { "each.example.org/team": "each-team" } },
  tolerations: { value: [{ key: "each-taint", operator: "Equal", value: "each-value", effect: "NoSchedule" }], shows: ["each-taint"] },
  "credentials.source": { value: "externalSecrets" },
  "credentials.externalSecrets.storeName": { value: "each-store", with: { credentials: { source: "externalSecrets" } } },
  "credentials.externalSecrets.storeKind": { value: "SecretStore", with: { credentials: { source: "externalSecrets" } } },
  "credentials.externalSecrets.refreshInterval": { value: "7m", with: { credentials: { source: "externalSecrets" } } },
  "credentials.externalSecrets.remoteKeyPrefix": { value: "each/prefix", with: { credentials: { source: "externalSecrets" } } },
  "network.dnsPeers": { value: [{ ipBlock: { cidr: "169.254.20.10/32" } }], shows: ["169.254.20.10/32"] },
  "network.apiServer.cidrs": { value: ["10.123.0.1/32"], with: MONITORING },
  "network.apiServer.ports": { value: [7443], with: MONITORING },
  "gateway.image.repository": { value: "registry.example.org/each/gateway" },
  "fastTime.image.repository": { value: "registry.example.org/each/fast-time" },
  "postgres.image.repository": { value: "registry.example.org/each/postgres" },
  "redis.image.repository": { value: "registry.example.org/each/redis" },
  "gateway.replicas": { value: 7, with: { gateway: { hpa: { enabled: false } } } },
  "gateway.hpa.minReplicas": { value: 3 },
  "gateway.hpa.maxReplicas": { value: 17 },
  "gateway.hpa.targetCPUUtilizationPercentage": { value: 61 },
  "gateway.hpa.targetMemoryUtilizationPercentage": { value: 62 },
  "gateway.pdb.maxUnavailable": { value: 3, with: { gateway: { hpa: { minReplicas: 4, maxReplicas: 8 } } } },
  "gateway.config": { value: { LOG_LEVEL: "each-level" } },
  "gateway.publicEgress.ports": { value: [8443] },
  "gateway.preStopSeconds": { value: 23 },
  "fastTime.replicas": { value: 7 },
  "postgres.maxConnections": { value: 777 },
  "postgres.persistence.size": { value: "7Gi" },
  "redis.persistence.size": { value: "7Gi", with: { redis: { persistence: { enabled: true } } } },
  "redis.persistence.enabled": { value: true },
  "redis.maxclients": { value: 777 },
  "postgres.persistence.accessModes": { value: ["ReadWriteOncePod"] },
  "redis.persistence.accessModes": { value: ["ReadWriteOncePod"], with: { redis: { persistence: { enabled: true } } } },
  "postgres.persistence.existingClaim": { value: "each-claim" },
  "redis.persistence.existingClaim": { value: "each-claim", with: { redis: { persistence: { enabled: true } } } },
  "migration.backoffLimit": { value: 7 },
  "migration.activeDeadlineSeconds": { value: 777 },
  "migration.ttlSecondsAfterFinished": { value: 777 },
  "ingress.className": { value: "each-class" },
  "ingress.controllerNamespace": { value: "each-ns", with: { ingress: { controller: "ingress-nginx" } } },
  "ingress.sourceCidrs": { value: ["10.123.0.0/16"], with: { ingress: { controller: "aws-load-balancer" } }, before: { ingress: { controller: "aws-load-balancer", sourceCidrs: ["10.0.0.0/24"] } } },
  "ingress.certificateArn": { value: "arn:aws:acm:eu-west-1:123456789012:certificate/each", with: { ingress: { controller: "aws-load-balancer", sourceCidrs: ["10.0.0.0/24"] } } },
  "ingress.controllerHostNetwork": { value: true, with: { ingress: { controller: "ingress-nginx", nodeCidrs: ["10.124.0.0/24"] } } },
  "ingress.nodeCidrs": { value: ["10.124.0.0/24"], with: { ingress: { controller: "ingress-nginx", controllerHostNetwork: true } }, before: { ingress: { controller: "ingress-nginx", controllerHostNetwork: true, nodeCidrs: ["10.0.0.0/24"] } } },
  "ingress.tls.secretName": { value: "each-tls", with: TLS },
  "ingress.tls.certificate.enabled": { value: true, with: TLS },
  "ingress.tls.certificate.issuerName": { value: "each-issuer", with: { ingress: { tls: { enabled: true, certificate: { enabled: true } } } } },
  "ingress.tls.certificate.issuerKind": { value: "Issuer", with: { ingress: { tls: { enabled: true, certificate: { enabled: true } } } } },
  "ingress.annotations": { value: { "each.example.org/ingress": "each-value" } },
  "ingress.gatewayApi.mode": { value: "create" },
  "ingress.gatewayApi.gateway.namespace": { value: "each-gw-ns", with: { ingress: { kind: "gateway-api", gatewayApi: { mode: "attach" } } } },
  "ingress.gatewayApi.gateway.sectionName": { value: "each-section", with: { ingress: { kind: "gateway-api", gatewayApi: { mode: "attach" } } } },
  "ingress.gatewayApi.dataPlane.podLabels": { value: { "each.example.org/proxy": "each-proxy" }, with: { ingress: { kind: "gateway-api", gatewayApi: { dataPlane: { namespace: "each-dp" } } } } },
  "ingress.gatewayApi.dataPlane.namespace": { value: "each-dp", with: GATEWAY_API },
  "ingress.gatewayApi.listeners": { value: [{ name: "each-listener", port: 8081, protocol: "HTTP" }], with: { ingress: { kind: "gateway-api", tls: { enabled: false }, gatewayApi: { mode: "create" } } }, shows: ["each-listener", 8081] },
  "storageClass.name": { value: "each-class", with: { storageClass: { create: true } } },
  "storageClass.provisioner": { value: "each.example.org/csi", with: { storageClass: { create: true } } },
  "storageClass.parameters": { value: { "each-param": "each-value" }, with: { storageClass: { create: true } } },
  "storageClass.reclaimPolicy": { value: "Retain", with: { storageClass: { create: true } } },
  "monitoring.errorRatePercent": { value: 7.5, with: MONITORING },
  "monitoring.volumeFreePercent": { value: 17, with: MONITORING },
  "monitoring.grafanaFolder": { value: "Each Folder", with: MONITORING },
  "monitoring.postgresExporter.repository": { value: "registry.example.org/each/pg-exporter", with: MONITORING },
  "monitoring.redisExporter.repository": { value: "registry.example.org/each/redis-exporter", with: MONITORING },
  "backup.schedule": { value: "17 3 * * *", with: { backup: { enabled: true } } },
  "backup.timeZone": { value: "Europe/Berlin", with: { backup: { enabled: true } } },
  "backup.activeDeadlineSeconds": { value: 777, with: { backup: { enabled: true } } },
  "backup.ttlSecondsAfterFinished": { value: 777, with: { backup: { enabled: true } } },
  "backup.target": { value: "s3", with: { backup: { enabled: true, s3: { bucket: "each-bucket" } } } },
  "backup.volume.size": { value: "7Gi", with: { backup: { enabled: true } } },
  "backup.s3.endpoint": { value: "https://s3.each.example.org", with: BACKUP_S3 },
  "backup.s3.secretName": { value: "each-s3", with: BACKUP_S3 },
  "backup.s3.image.repository": { value: "registry.example.org/each/aws-cli", with: BACKUP_S3 },
  "postSyncTests.timeoutSeconds": { value: 77 },
  "backup.retentionDays": { value: 17, with: { backup: { enabled: true } }, shows: ["24480"] },
  "backup.s3.bucket": { value: "other-bucket", with: BACKUP_S3 },
  "postgres.persistence.manualVolume.node": { value: "each-node", with: { postgres: { persistence: { manualVolume: { type: "local", path: "/mnt/x" } } } }, before: MANUAL("postgres") },
  "redis.persistence.manualVolume.node": { value: "each-node", with: { redis: { persistence: { manualVolume: { type: "local", path: "/mnt/x" } } } }, before: MANUAL("redis") },
  "ingress.controller": { value: "aws-load-balancer", with: { ingress: { sourceCidrs: ["10.0.0.0/24"] } } },
  "ingress.gatewayApi.gateway.className": { value: "each-class", with: { ingress: { kind: "gateway-api", gatewayApi: { mode: "create" } } } },
  "argocd.rollout": {
    value: [{ stage: "canary", maxUpdate: 3 }],
    with: { clusters: [{ name: "each-cluster", stage: "canary", destination: { name: "each-dest" } }] },
    shows: [3],
  },
  // Read by the deployability analysis (what the target cluster provides), not rendered: its verdicts change.
  "cluster.crds": { value: ["monitoring.coreos.com"], with: MONITORING, lands: "deployability" },
  "cluster.metricsServer": { value: false, lands: "deployability" },
  "cluster.storageClasses": { value: [{ name: "each-class", default: true }], with: { postgres: { persistence: { storageClassName: "each-class" } } }, lands: "deployability" },
  "cluster.existingSecrets": { value: ["mcp-gateway-credentials"], lands: "deployability" },
  "cluster.remoteSecrets": { value: ["mcp-stack/mcp-gateway-credentials"], with: { credentials: { source: "externalSecrets", externalSecrets: { remoteKeyPrefix: "mcp-stack" } } }, lands: "deployability" },
  "migrateFromHelm.release": { value: "each-release", with: { ...ADOPTED, migrateFromHelm: { fullname: "each-mcp-stack" } }, before: { ...ADOPTED, migrateFromHelm: { release: "old-release", fullname: "each-mcp-stack" } }, lands: "deployability", shows: ["each-release"] },
  "migrateFromHelm.fullname": {
    value: "each-release-mcp-stack",
    with: { migrateFromHelm: { release: "each-release" } },
    before: {},
    lands: { elsewhere: "the cutover runbook (npm run notes -- <env> --migrate-from-helm)", check: (after) => expect(helmCutover({ env: "each", settings: after, release: after.migrateFromHelm!.release, fullname: after.migrateFromHelm!.fullname })).toContain("each-release-mcp-stack-gateway-secret") },
  },
  "migrateFromHelm.claimsKept": { value: true, with: { ...ADOPTED, migrateFromHelm: { release: "each-release", fullname: "each-release-mcp-stack" } }, lands: "deployability" },
  // The policy profile the gate checks the environment with (dev relaxes HA, TLS and digest pinning).
  profile: { value: "dev", lands: { elsewhere: "policy", check: (after) => expect(policyFindings(after, "dev")).not.toEqual(policyFindings(after, "production")) } },
  "postgres.user": { value: "each_user", lands: { elsewhere: "local credentials", check: (after) => expect(SECRETS.postgres.keys.POSTGRES_USER({ settings: after } as never)).toBe("each_user") } },
  extraResources: { value: ["team.yaml"], lands: { elsewhere: "the overlay's resources (test/extras.test.ts, test/settings-variants.test.ts)", check: (after) => expect(extraFiles(after, "each", "/r").map((f) => f.shown)).toEqual(["overlays/each/team.yaml"]) } },
  extraPatches: { value: [{ path: "p.yaml", target: { kind: "Deployment", name: "mcp-gateway" } }], lands: { elsewhere: "the overlay's patches (test/extras.test.ts)", check: (after) => expect(extraFiles(after, "each", "/r").map((f) => f.key)).toEqual(["extraPatches.0.path"]) } },
  shares: {
    value: ["host"],
    lands: {
      elsewhere: "the check that environments do not share identities",
      check: (after) => {
        const other = loaded({ ingress: { host: after.ingress.host } }, "other");
        expect(environmentProblems(new Map([["a", after], ["b", { ...other, shares: ["host"] }]]))).toEqual([]);
        expect(environmentProblems(new Map([["a", after], ["b", other]]))).toHaveLength(1);
      },
    },
  },
  "clusters": { value: [{ name: "each-cluster", stage: "canary", destination: { name: "each-dest" }, host: "each-cluster.example.org" }], with: { ingress: { tls: { enabled: true } } }, lands: "clusters", shows: ["each-cluster.example.org"] },
};

/** Settings under a switch take the switch's context; a manual volume its type's fields. */
function contextFor(p: string[]): Json {
  const id = p.join(".");
  if (id.startsWith("monitoring.")) return MONITORING;
  if (id.startsWith("backup.s3.")) return BACKUP_S3;
  if (id.startsWith("backup.")) return { backup: { enabled: true } };
  if (id.startsWith("velero.")) return { velero: { enabled: true } };
  if (id.startsWith("ingress.gatewayApi.")) return GATEWAY_API;
  if (id.startsWith("storageClass.")) return { storageClass: { create: true } };
  const manual = /^(postgres|redis)\.persistence\.manualVolume\./.exec(id);
  if (manual) return MANUAL(manual[1]!);
  if (id.startsWith("redis.persistence.")) return { redis: { persistence: { enabled: true } } };
  if (id.startsWith("argocd.")) return {};
  return {};
}

function derivedValue(p: string[], node: Node): unknown {
  const id = p.join(".");
  if (node.enum) return node.enum.find((v) => v !== node.default) ?? node.enum[0];
  if (node.type === "boolean") return !(node.default ?? false);
  if (node.type === "integer" || node.type === "number") {
    const base = typeof node.default === "number" ? node.default + 3 : (node.minimum ?? 0) + 7;
    return node.maximum !== undefined ? Math.min(base, node.maximum) : base;
  }
  if (node.type === "string") {
    if (node.pattern === QUANTITY) return id.endsWith("requests.cpu") ? "77m" : id.endsWith("requests.memory") ? "33Mi" : id.endsWith("limits.cpu") ? "3" : id.endsWith("limits.memory") ? "3Gi" : "7Gi";
    if (node.pattern) return BY_PATTERN[node.pattern] ?? `no sample for pattern ${node.pattern}`;
    return `each-${p.at(-1)!.toLowerCase()}`;
  }
  if (node.type === "array") {
    const item = node.items ?? {};
    if (item.enum) return [item.enum.find((v) => !(Array.isArray(node.default) && node.default.includes(v))) ?? item.enum[0]];
    if (item.type === "string") return [derivedValue(p, item)];
    return undefined;
  }
  if (node.type === "object" && typeof node.additionalProperties === "object") return { [`each.example.org/${p.at(-1)!.toLowerCase()}`]: `each-${p.at(-1)!.toLowerCase()}` };
  return undefined;
}

const SETTINGS = leaves().map(({ path: p, node }) => {
  const id = p.join(".");
  const given = VALUES[id];
  const c: Case = given ?? { value: derivedValue(p, node) };
  return { id, path: p, node, ...c, with: merge(contextFor(p), c.with ?? {}) as Json, lands: c.lands ?? (id.startsWith("argocd.") ? "argocd" : "stack") } as Case & { id: string; path: string[]; node: Node; with: Json; lands: Lands };
});

const loaded = (data: unknown, what: string): Settings => {
  try {
    return settingsFromObject(data, what);
  } catch (err) {
    if (err instanceof SettingsError) throw new Error(`${what}: ${err.message}`);
    throw err;
  }
};

/** Every leaf of the objects: `objectId path = value`, as a set (once per rendering: renders are shared, see render). */
const leafSets = new WeakMap<unknown[], Map<string, unknown>>();
function leafSet(objects: unknown[]): Map<string, unknown> {
  const known = leafSets.get(objects);
  if (known) return known;
  const out = new Map<string, unknown>();
  leafSets.set(objects, out);
  const walk = (v: unknown, p: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}/${i}`));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${p}/${k}`);
    else out.set(`${p}=${JSON.stringify(v)}`, v);
  };
  for (const o of objects) {
    const m = o as { kind?: string; metadata?: { name?: string } };
    walk(o, `${m.kind}/${m.metadata?.name}`);
  }
  return out;
}

/** The scalars a value should show as: text and numbers (maps: their keys and values; lists: their items). */
function shownValues(c: { value: unknown; shows?: (string | number)[]; node: Node }): (string | number)[] {
  if (c.shows) return c.shows;
  // A choice among names (an enum) selects what renders; it need not appear itself.
  if (c.node.enum || c.node.items?.enum) return [];
  const v = c.value;
  if (typeof v === "string" || typeof v === "number") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string | number => typeof x === "string" || typeof x === "number");
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => [k, ...(typeof x === "string" ? [x] : [])]);
  return [];
}

const carries = (leaf: unknown, key: string, want: string | number) =>
  typeof want === "number" ? leaf === want || (typeof leaf === "string" && new RegExp(`(^|[^0-9.])${String(want).replace(".", "\\.")}([^0-9]|$)`).test(leaf)) : key.includes(want) || (typeof leaf === "string" && leaf.includes(want));

/**
 * The model's objects for these settings. buildStack depends on the settings alone, and many cases share a render
 * (every baseline of a setting without context is the defaults), so each distinct settings value is built once.
 */
const renders = new Map<string, Json[]>();
const render = (s: Settings): Json[] => {
  const key = JSON.stringify(s);
  let objects = renders.get(key);
  if (!objects) renders.set(key, (objects = buildStack({ settings: s }).map((o) => plain(o.object) as Json)));
  return objects;
};
const argocd = (s: Settings) => {
  const plan = new Map<string, string>();
  planArgoCd(new Map([["each", s]]), plan);
  return [...plan.values()].flatMap((t) => loadAllAsYaml11(t));
};
const fleet = (s: Settings) => s.clusters.flatMap((c) => buildClusterStack(s, c).map((o) => plain(o.object)));
/** The deployability analysis of the model's objects under these settings: its findings, as comparable leaves. */
const deployability = (s: Settings) => {
  const yaml = render(s).map((o) => toYaml(o)).join("---\n");
  return analyseEnvironment({ name: "each", yaml, file: "each.yaml", settings: s }).findings.map((f) => ({ rule: f.ruleId, object: `${f.object.kind}/${f.object.name}`, message: f.message }));
};
function policyFindings(s: Settings, profile: string) {
  const yaml = render(s).map((o) => toYaml(o)).join("---\n");
  return evaluate(parseManifests(yaml, "each.yaml"), { profile }).findings.map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name}`).sort();
}

describe("every documented setting has a test (from the schema)", () => {
  it("the schema's leaves are the settings tested here, and every hand-given value names a setting", () => {
    expect(SETTINGS.length).toBeGreaterThan(150);
    const ids = new Set(SETTINGS.map((s) => s.id));
    expect(Object.keys(VALUES).filter((k) => !ids.has(k))).toEqual([]);
    expect(SETTINGS.filter((s) => s.value === undefined).map((s) => s.id)).toEqual([]);
  });

  it.each(SETTINGS.map((s) => [s.id, s] as const))("%s: a non-default value reaches what it documents", (_id, c) => {
    // Compared with the same context and the setting's default (a switch the context turns on is off there).
    const before = loaded(c.before ?? (c.node.default !== undefined ? merge(c.with, at(c.path, c.node.default)) : c.with), `${c.id} (context)`);
    const after = loaded(merge(c.with, at(c.path, c.value)), `${c.id}: ${JSON.stringify(c.value)}`);
    if (typeof c.lands === "object") return c.lands.check(after);
    const objectsOf = c.lands === "argocd" ? argocd : c.lands === "clusters" ? fleet : c.lands === "deployability" ? deployability : render;
    const baseline = leafSet(objectsOf(before));
    const rendered = leafSet(objectsOf(after));
    const changed = [...rendered].filter(([k]) => !baseline.has(k));
    const gone = [...baseline.keys()].filter((k) => !rendered.has(k));
    expect(changed.length + gone.length, `${c.id}: nothing rendered changed`).toBeGreaterThan(0);
    for (const want of c.lands === "deployability" && !c.shows ? [] : shownValues(c)) {
      expect(changed.some(([k, v]) => carries(v, k, want)), `${c.id}: ${JSON.stringify(want)} in the changed objects (${changed.slice(0, 5).map(([k]) => k).join(", ")})`).toBe(true);
    }
  });
});

const ENVS = ["dev", "minikube", "eks", "manual-pv"] as const;

/** The text and number values of a case found among rendered objects (as `carries` reads them). */
const leavesOf = new WeakMap<unknown[], [string, unknown][]>();
const shownIn = (c: (typeof SETTINGS)[number], objects: unknown[]) => {
  // The leaves of one rendering, listed once for all the cases checked against it.
  let all = leavesOf.get(objects);
  if (!all) leavesOf.set(objects, (all = [...leafSet(objects)]));
  return shownValues(c).every((want) => all.some(([k, v]) => carries(v, k, want)));
};

describe("every setting in every environment, through kustomize", () => {
  let repo: string;
  const originals = new Map<string, string>();
  beforeAll(() => {
    repo = copyRepo({ credentials: "fixed" });
    for (const env of ENVS) originals.set(env, fs.readFileSync(path.join(repo, "overlays", env, "settings.yaml"), "utf8"));
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  /**
   * The stack's settings with a value to see, in groups per environment: each group is valid on top of the
   * environment's settings and every value of it shows in the model (a setting another one switches off goes to a
   * later group). A setting that fits no group there does not apply to that environment.
   */
  function groupsFor(env: string): { cases: (typeof SETTINGS)[number][]; patch: Json }[] {
    const original = parse(originals.get(env)!) ?? {};
    const pending = SETTINGS.filter((c) => c.lands === "stack" && shownValues(c).length > 0);
    const groups: { cases: (typeof SETTINGS)[number][]; patch: Json }[] = [];
    for (let round = 0; pending.length && round < 8; round++) {
      let patch: Json = {};
      let cases: (typeof SETTINGS)[number][] = [];
      for (const c of [...pending]) {
        const next = merge(merge(patch, c.with), at(c.path, c.value)) as Json;
        try {
          settingsFromObject(merge(original, next), env);
        } catch {
          continue;
        }
        patch = next;
        cases.push(c);
      }
      const objects = render(settingsFromObject(merge(original, patch), env));
      cases = cases.filter((c) => shownIn(c, objects));
      if (!cases.length) break;
      // The patch again from the cases that show (a later one may have switched an earlier one off).
      patch = cases.reduce<Json>((acc, c) => merge(merge(acc, c.with), at(c.path, c.value)) as Json, {});
      const kept = render(settingsFromObject(merge(original, patch), env));
      cases = cases.filter((c) => shownIn(c, kept));
      groups.push({ cases, patch: cases.reduce<Json>((acc, c) => merge(merge(acc, c.with), at(c.path, c.value)) as Json, {}) });
      for (const c of cases) pending.splice(pending.indexOf(c), 1);
    }
    return groups;
  }

  /**
   * The groups of every environment: hundreds of settings loads and model builds, a pure function of the code and these
   * files, so their case ids are kept in the generate memo (keyed by the hash of the code under scripts/, memo.ts) under
   * the hashes of this file, its helper and the environments' settings files.
   */
  async function allGroups(): Promise<Map<string, { cases: (typeof SETTINGS)[number][]; patch: Json }[]>> {
    const source = (url: URL) => textInput(fs.readFileSync(url, "utf8"));
    const inputs = { test: source(new URL(import.meta.url)), helper: source(new URL("./helpers/render.ts", import.meta.url)), settings: ENVS.map((env) => textInput(originals.get(env)!)) };
    const ids = await memoized("test/settings-each: groups", inputs, async () => new Map(ENVS.map((env) => [env, JSON.stringify(groupsFor(env).map((g) => g.cases.map((c) => c.id)))])));
    const byId = new Map(SETTINGS.map((c) => [c.id, c]));
    return new Map(
      ENVS.map((env) => {
        const groups = (JSON.parse(ids.get(env)!) as string[][]).map((g) => g.map((id) => byId.get(id)!));
        return [env, groups.map((cases) => ({ cases, patch: cases.reduce<Json>((acc, c) => merge(merge(acc, c.with), at(c.path, c.value)) as Json, {}) }))];
      }),
    );
  }

  it("generates every environment with all its settings set, and each value reaches the objects kustomize renders", async () => {
    const groups = await allGroups();
    const covered = new Map(ENVS.map((env) => [env, new Set(groups.get(env)!.flatMap((g) => g.cases.map((c) => c.id)))]));
    // Most settings apply everywhere; every one applies somewhere.
    const stack = SETTINGS.filter((c) => c.lands === "stack" && shownValues(c).length > 0).map((c) => c.id);
    expect(stack.filter((id) => !ENVS.some((env) => covered.get(env)!.has(id)))).toEqual([]);
    for (const env of ENVS) expect(covered.get(env)!.size, env).toBeGreaterThan(stack.length * 0.8);
    const rounds = Math.max(...[...groups.values()].map((g) => g.length));
    if (process.env.EACH_DEBUG) console.log(ENVS.map((e) => `${e}: ${groups.get(e)!.map((g) => g.cases.length).join("+")}`).join("; "));
    try {
      for (let round = 0; round < rounds; round++) {
        for (const env of ENVS) {
          const group = groups.get(env)![round];
          const original = parse(originals.get(env)!) ?? {};
          // The same values in every environment: their identities are shared on purpose here.
          const shares = { shares: ["host", "secretStorePrefix", "backup", "iamRole"] };
          fs.writeFileSync(path.join(repo, "overlays", env, "settings.yaml"), toYaml(merge(group ? merge(original, group.patch) : original, shares)));
        }
        const r = await runInProcess(generateMain, ["--root", repo]);
        expect(r.code, `round ${round}: ${r.stderr}`).toBe(0);
        for (const env of ENVS) {
          const group = groups.get(env)![round];
          if (!group) continue;
          const objects = loadAllAsYaml11((await kustomizeBuild(path.join(repo, "overlays", env))).yaml);
          for (const c of group.cases) expect(shownIn(c, objects), `${env}: ${c.id} = ${JSON.stringify(c.value)} in the rendered objects`).toBe(true);
        }
      }
    } finally {
      for (const env of ENVS) fs.writeFileSync(path.join(repo, "overlays", env, "settings.yaml"), originals.get(env)!);
    }
  }, 600_000);
});
