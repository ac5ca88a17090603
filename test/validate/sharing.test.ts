// Subschema sharing (scripts/validate/shared-subschemas.ts) must not change a single verdict or
// message: validate a broad corpus — the rendered overlays, the fixtures, mutations of every
// resource in them and hand-made invalid objects — with sharing on (compiled, then loaded from the
// disk cache) and off, and compare every result.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { renderOverlays } from "../../scripts/lib/render.ts";
import { loadEnvironments } from "../../scripts/lib/overlays.ts";
import { setSubschemaSharing, subschemaSharing } from "../../packages/validate/src/perf/compile-cache.ts";
import { validateDocuments } from "../../scripts/validate/engine.ts";
import { defaultSchemaLocations } from "../../scripts/validate/schema-locations.ts";
import { forgetSchemas } from "../../packages/validate/src/registry.ts";
import { splitDocuments } from "../../packages/validate/src/reader.ts";
import { canShareSubschemas, shareSubschemas, SHARED_ID_PREFIX } from "../../packages/validate/src/perf/shared-subschemas.ts";
import type { InputDocument, ResourceResult } from "../../packages/validate/src/types.ts";
import { fixtures, repoRoot, tempDir } from "./helpers.ts";

type Doc = Record<string, unknown>;

const initialSharing = subschemaSharing();
afterAll(() => setSubschemaSharing(initialSharing));

function parseAll(text: string): Doc[] {
  return splitDocuments(text)
    .map((chunk) => yaml.load(chunk.text))
    .filter((d): d is Doc => d !== null && typeof d === "object" && !Array.isArray(d));
}

function fixtureInputs(): InputDocument[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(entry.name)) files.push(full);
    }
  };
  walk(fixtures);
  return files.sort().map((file) => ({ filename: path.relative(fixtures, file), content: fs.readFileSync(file, "utf8") }));
}

type Path = (string | number)[];

/** Every node of a document with its path, in document order. */
function nodes(value: unknown, at: Path = []): { path: Path; value: unknown }[] {
  const out = [{ path: at, value }];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...nodes(v, [...at, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...nodes(v, [...at, k]));
  return out;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function setAt(doc: Doc, at: Path, update: (value: unknown) => unknown | typeof DELETE): void {
  let parent: unknown = doc;
  for (const step of at.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[step];
  const last = at[at.length - 1]!;
  const container = parent as Record<string | number, unknown>;
  const next = update(container[last]);
  if (next === DELETE) {
    if (Array.isArray(container)) container.splice(Number(last), 1);
    else delete container[last];
  } else container[last] = next;
}

const DELETE = Symbol("delete");

/** One wrong value for each kind of node: a different type, an unknown field, nothing at all… */
const MUTATIONS: ((value: unknown) => unknown)[] = [
  (v) => (typeof v === "string" ? 12345 : typeof v === "number" ? "not-a-number" : typeof v === "boolean" ? "yes" : Array.isArray(v) ? { not: "a list" } : "not-an-object"),
  (v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? { ...v, zzUnknownField: true } : [v]),
  () => DELETE,
  () => null,
  (v) => (typeof v === "string" ? "Bogus-Value_#1" : typeof v === "number" ? -1.5 : v !== null && typeof v === "object" ? {} : false),
  (v) => (Array.isArray(v) ? [...v, v[0] ?? {}] : typeof v === "number" ? 2 ** 40 : typeof v === "string" ? "" : v),
];

/** Up to `perDoc` single mutations spread over the document, and one document with all of them. */
function mutate(doc: Doc, perDoc: number, seed: number): Doc[] {
  const all = nodes(doc).filter((n) => n.path.length > 0 && !(n.path.length === 1 && (n.path[0] === "kind" || n.path[0] === "apiVersion")));
  if (all.length === 0) return [];
  const stride = Math.max(1, Math.floor(all.length / perDoc));
  const picked = all.filter((_, i) => (i + seed) % stride === 0).slice(0, perDoc);
  const out: Doc[] = [];
  const combined = clone(doc);
  picked.forEach((node, i) => {
    const mutation = MUTATIONS[(i + seed) % MUTATIONS.length]!;
    const single = clone(doc);
    setAt(single, node.path, mutation);
    out.push(single);
    if (i % 3 === 0) {
      try {
        setAt(combined, node.path, mutation);
      } catch {
        // an earlier mutation removed or replaced this node's parent
      }
    }
  });
  out.push(combined);
  return out;
}

/** Hand-made invalid resources: deep PodSpec type errors, unknown fields, missing fields, enums, CRDs. */
function handMade(): Doc[] {
  const podSpec = () => ({
    serviceAccountName: "sa",
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: "app",
        image: "nginx:1.27",
        ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
        env: [{ name: "A", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
        resources: { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: 1 } },
        livenessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10 },
        readinessProbe: { tcpSocket: { port: 8080 } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
        volumeMounts: [{ name: "config", mountPath: "/etc/app" }],
      },
    ],
    initContainers: [{ name: "init", image: "busybox", command: ["true"] }],
    volumes: [{ name: "config", configMap: { name: "cfg", items: [{ key: "a", path: "a", mode: 420 }] } }],
  });
  const workloads = (spec: Doc): Doc[] => [
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec } } },
    { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "s" }, spec: { serviceName: "s", selector: { matchLabels: { a: "b" } }, template: { spec } } },
    { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "ds" }, spec: { selector: { matchLabels: { a: "b" } }, template: { spec } } },
    { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "rs" }, spec: { selector: { matchLabels: { a: "b" } }, template: { spec } } },
    { apiVersion: "batch/v1", kind: "Job", metadata: { name: "j" }, spec: { template: { spec: { ...spec, restartPolicy: "Never" } } } },
    { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "c" }, spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec } } } } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec },
  ];
  const broken: ((spec: Record<string, any>) => void)[] = [
    (s) => (s.containers[0].ports[0].containerPort = "http"),
    (s) => (s.containers[0].livenessProbe.httpGet.port = true), // int-or-string: oneOf, none matched
    (s) => (s.containers[0].readinessProbe.tcpSocket.port = { n: 1 }),
    (s) => (s.containers[0].resources.limits.cpu = [1]), // quantity: oneOf in additionalProperties
    (s) => (s.volumes[0].configMap.items[0].mode = "0644"),
    (s) => (s.containers[0].securityContext.capabilities.drop = "ALL"),
    (s) => (s.containers[0].env[0].valueFrom.fieldRef.extra = 1),
    (s) => (s.containers[0].securityContext.privileged = "no"),
    (s) => (s.securityContext.seccompProfile.kind = "x"),
    (s) => delete s.containers[0].name,
    (s) => delete s.volumes[0].name,
    (s) => delete s.containers,
    (s) => (s.containers[0].imagePullPolicy = "Sometimes"),
    (s) => (s.restartPolicy = 7),
    (s) => (s.containers[0].ports[0].protocol = "XTP"),
    (s) => (s.initContainers[0].resources = { limits: { memory: true }, claims: "x" }),
    (s) => {
      s.containers[0].ports[0].containerPort = "http";
      s.containers[0].livenessProbe.httpGet.port = 1.5;
      s.containers[0].bogus = 1;
      s.volumes[0].configMap.items[0].mode = "x";
      delete s.initContainers[0].name;
    },
  ];
  const out: Doc[] = workloads(podSpec());
  for (const breakIt of broken) {
    const spec = podSpec();
    breakIt(spec);
    out.push(...workloads(spec));
  }
  out.push(
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x", labelz: {} }, spec: { template: { spec: podSpec() } } },
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, extra: 1, spec: { replicas: "3", selector: { matchLabels: { a: 1 } }, template: { spec: podSpec() } } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { type: "Bogus", ports: [{ protocol: "TCP", targetPort: false }] } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { on: true, n: 1 } },
    { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: { name: "e" }, spec: { refreshInterval: 5, secretStoreRef: { kind: "Bogus", name: 1 }, target: { foo: 1 }, data: [{ secretKey: "k" }] } },
    { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: { name: "e" }, spec: { refreshIntervall: "1h" } },
    { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "m" }, spec: { selector: {}, endpoints: [{ port: 1, scheme: "ftp", interval: "often", targetPort: true }] } },
    { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "r" }, spec: { groups: [{ name: "g", rules: [{ alert: "A", expr: { q: 1 }, for: 5 }] }] } },
    { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "c" }, spec: { secretName: "s", issuerRef: { name: "i" }, duration: "forever", dnsNames: "a" } },
    { apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "a" }, spec: { project: "p", destination: {} }, status: { reconciledAt: "not-a-time" } },
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "h" }, spec: { parentRefs: [{ name: "g", port: "x" }], rules: [{ matches: [{ path: { type: "Nope", value: 1 } }] }] } },
  );
  return out;
}

async function corpus(): Promise<InputDocument[]> {
  const rendered = (await renderOverlays(loadEnvironments())).map((r) => ({ filename: `overlays/${r.env}`, content: r.yaml }));
  const fixtureDocs = fixtureInputs();
  const seen = new Set<string>();
  const originals: Doc[] = [];
  for (const input of [...rendered, ...fixtureDocs.filter((f) => !f.filename.startsWith("bad"))]) {
    let docs: Doc[];
    try {
      docs = input.filename.endsWith(".json") ? [JSON.parse(input.content) as Doc] : parseAll(input.content);
    } catch {
      continue;
    }
    for (const doc of docs) {
      const key = JSON.stringify(doc);
      if (!seen.has(key)) originals.push(doc), seen.add(key);
    }
  }
  const mutated = originals.flatMap((doc, i) => mutate(doc, 20, i));
  const dump = (docs: Doc[]) => docs.map((d) => yaml.dump(d, { lineWidth: -1, noRefs: true })).join("---\n");
  return [
    ...rendered,
    ...fixtureDocs,
    { filename: "mutated.yaml", content: dump(mutated) },
    { filename: "hand-made.yaml", content: dump(handMade()) },
  ];
}

/**
 * Where the reference (every schema compiled on its own, sharing off) is kept between runs: its validators are pure
 * functions of the schema text, ajv and the validator package's code, so they are compiled on the first run after
 * any change to packages/validate/src (the folder is named by the hash of all of it) and loaded from their standalone
 * code after that. Compiling them was two thirds of this test's time; the side under test (sharing on) is still
 * compiled in a fresh cache every run, then loaded from it.
 */
function referenceCacheDir(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(path.relative(repoRoot, full)).update("\0").update(fs.readFileSync(full)).update("\0");
    }
  };
  walk(path.join(repoRoot, "packages/validate/src"));
  return path.join(os.tmpdir(), "mcp-validate-test-sharing-reference", hash.digest("hex").slice(0, 16));
}

describe("subschema sharing", () => {
  it("gives the same verdicts and messages as compiling every schema on its own, compiled and from the disk cache", async () => {
    const inputs = await corpus();
    const cacheDir = tempDir();
    // The shipped schemas only: kinds they lack would be looked up at kubeconform's default (remote) location, a
    // network round trip per kind (5 s where the resolver times out) for a verdict that is "not found" either way.
    const schemaLocations = defaultSchemaLocations();
    const run = async (share: boolean): Promise<ResourceResult[]> => {
      setSubschemaSharing(share);
      return (await validateDocuments(inputs, { cacheDir: share ? cacheDir : referenceCacheDir(), workers: 1, schemaLocations })).resources;
    };
    const inline = await run(false);
    // Validators are held in memory by the hash of their schema, whatever the cache folder: a file run before this one
    // in the same worker (a shared module cache) could otherwise serve the shared side from memory, neither compiled
    // here nor written to this cache for the run from disk below.
    forgetSchemas();
    const shared = await run(true);
    forgetSchemas(); // from here on the shared validators come from their standalone code on disk
    const fromDisk = await run(true);
    fs.rmSync(cacheDir, { recursive: true, force: true });

    // The corpus is worth comparing: many resources, many of them invalid in many ways.
    expect(inline.length).toBeGreaterThan(2500);
    const invalid = inline.filter((r) => r.status === "statusInvalid");
    expect(invalid.length).toBeGreaterThan(800);
    expect(new Set(invalid.map((r) => r.kind)).size).toBeGreaterThan(15);
    const messages = invalid.flatMap((r) => r.validationErrors ?? []).map((e) => e.msg);
    for (const words of [/^got \w+, want /, /^additional properties /, /^missing propert/, /^value must be one of /, /^oneOf failed/, /is not valid date-time: /]) {
      expect(messages.some((m) => words.test(m)), String(words)).toBe(true);
    }
    expect(invalid.some((r) => r.validationErrors!.some((e) => e.path.startsWith("/spec/template/spec/containers/0/")))).toBe(true);

    // Compared one by one first, for a readable failure.
    for (let i = 0; i < inline.length; i++) {
      expect(shared[i], `resource ${i}: ${inline[i]!.filename} ${inline[i]!.kind} ${inline[i]!.name}`).toEqual(inline[i]);
      expect(fromDisk[i], `resource ${i} (from disk)`).toEqual(inline[i]);
    }
    expect(shared).toEqual(inline);
    expect(fromDisk).toEqual(inline);
  }, 120_000);

  it("leaves documents alone when moving a subtree could change what it means", () => {
    expect(canShareSubschemas('{"properties": {"a": {"$ref": "#/definitions/a"}}}', false)).toBe(false);
    expect(canShareSubschemas('{"$id": "x", "type": "object"}', false)).toBe(false);
    expect(canShareSubschemas('{"$schema": "x", "properties": {"a": {"$schema": "y"}}}', true)).toBe(false);
    expect(canShareSubschemas('{"properties": {"a": {"$schema": "y"}}}', false)).toBe(false);
    expect(canShareSubschemas('{"$schema": "x", "properties": {"a": {"type": "string"}}}', true)).toBe(true);
  });

  it("shares identical subtrees once, keeps order, annotations out, and combinator branches inline", () => {
    const big = (extra: Doc = {}) => ({
      description: "a container",
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`field${i}`, { type: ["string", "null"], description: `field ${i}` }])),
      ...extra,
    });
    const registered = new Map<string, Doc>();
    const root = shareSubschemas(
      {
        type: "object",
        "x-kubernetes-group-version-kind": [{ kind: "K" }],
        properties: {
          a: big(),
          b: { type: "array", items: big({ description: "same, but described otherwise" }) },
          c: { oneOf: [big(), { type: "string" }] },
        },
        required: ["a"],
      },
      (id, schema) => registered.set(id, schema),
    );
    const props = root.properties as Record<string, Doc>;
    const ref = (props.a as { $ref: string }).$ref;
    expect(ref.startsWith(SHARED_ID_PREFIX)).toBe(true);
    const b = registered.get((props.b as { $ref: string }).$ref)!;
    expect(b).toEqual({ type: "array", items: { $ref: ref } });
    expect(registered.get((props.c as { $ref: string }).$ref)).toEqual({ oneOf: [big(), { type: "string" }] }); // branches as they were
    expect(root).not.toHaveProperty("x-kubernetes-group-version-kind");
    expect(root.required).toEqual(["a"]);
    expect(registered.size).toBe(3);
    const shared = registered.get(ref)!;
    expect(shared).not.toHaveProperty("description");
    expect(Object.keys(shared.properties as Doc)).toEqual(Array.from({ length: 12 }, (_, i) => `field${i}`));
  });
});
