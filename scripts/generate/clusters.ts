// Cluster overlays of a fleet: clusters/<env>/<cluster>/ builds on overlays/<env> (resources: ../../../overlays/<env>;
// kustomize refuses an overlay inside the folder it builds on)
// and says only what differs in that cluster: the gateway ConfigMap through configMapGenerator merge, every other
// object through one strategic-merge patch file whose header names the cluster settings that produced it.
// As for environments, the result is verified: kustomize's build must equal the model of the cluster's settings.
import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { InputError } from "../lib/cli.ts";
import { kustomizeBuild } from "../lib/kustomize.ts";
import { clusterSettings, type Cluster } from "../settings/clusters.ts";
import type { Settings } from "../settings/schema.ts";
import { buildStack } from "../stack/index.ts";
import type { StackObject } from "../stack/types.ts";
import { header, plain, toYaml } from "./emit.ts";
import { yamlBody, type FilePlan } from "./plan.ts";
import { objectId as idOf, parseManifests, type Manifest as Obj } from "../lib/manifest.ts";
import { generatedNames, normalize } from "./project.ts";

const SOURCE_NOTE = (env: string, i: number, c: Cluster) => `overlays/${env}/settings.yaml clusters[${i}] (${c.name})`;

/** The cluster fields that change rendered objects (destination changes only the Argo CD Application). */
const FIELDS = ["host", "region", "gatewayRoleArn", "backupRoleArn", "secretStorePrefix", "backup", "nodeSelector"] as const;

export const clusterDir = (env: string, cluster: string) => path.posix.join("clusters", env, cluster);

/** Lists whose items kustomize merges by `name` in built-in kinds (their patchMergeKey is name). */
const MERGED_BY_NAME = new Set(["containers", "initContainers", "ephemeralContainers", "env", "volumes"]);

/**
 * A strategic-merge patch that turns `have` into `want`: changed map keys, removed keys as null, list items
 * merged by name where kustomize does so for built-in kinds (each item named, so the order holds), any other
 * changed list given whole.
 */
export function mergePatch(have: unknown, want: unknown, builtin: boolean, key = ""): unknown {
  if (Array.isArray(have) && Array.isArray(want)) {
    const byName = builtin && MERGED_BY_NAME.has(key) && [...have, ...want].every((x) => x && typeof x === "object" && typeof (x as { name?: unknown }).name === "string");
    if (!byName) return want;
    const old = new Map(have.map((x) => [(x as { name: string }).name, x]));
    const items: unknown[] = [];
    // Every item is named, unchanged ones by name alone: kustomize re-lists merged items in the patch's order.
    for (const item of want as { name: string }[]) {
      const before = old.get(item.name);
      if (!before) items.push(item);
      else if (!isDeepStrictEqual(before, item)) items.push({ name: item.name, ...(mergePatch(before, item, builtin) as object) });
      else items.push({ name: item.name });
      old.delete(item.name);
    }
    for (const name of old.keys()) items.push({ name, $patch: "delete" });
    return items;
  }
  if (isObject(have) && isObject(want)) {
    const out: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(have), ...Object.keys(want)])) {
      if (!(k in want)) out[k] = null;
      else if (!(k in have)) out[k] = want[k];
      else if (!isDeepStrictEqual(have[k], want[k])) out[k] = mergePatch(have[k], want[k], builtin, k);
    }
    return out;
  }
  return want;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isBuiltin = (apiVersion: string) => !apiVersion.includes(".") || /\.k8s\.io\//.test(apiVersion);

function objectsOf(s: Settings): Map<string, { so: StackObject; o: Obj }> {
  return new Map(buildStack({ settings: s }).map((so) => {
    const o = plain(so.object) as Obj;
    return [idOf(o), { so, o }];
  }));
}

/** The cluster fields whose values a patch carries (for its comment): cheap, no extra model builds. */
function fieldsIn(c: Cluster, patch: unknown): string[] {
  const text = JSON.stringify(patch);
  const values: Record<string, string[]> = {
    host: c.host ? [c.host] : [],
    region: c.region ? [c.region] : [],
    gatewayRoleArn: c.gatewayRoleArn ? [c.gatewayRoleArn] : [],
    backupRoleArn: c.backupRoleArn ? [c.backupRoleArn] : [],
    secretStorePrefix: c.secretStorePrefix ? [c.secretStorePrefix] : [],
    backup: [c.backup?.bucket, c.backup?.prefix].filter((v): v is string => Boolean(v)),
    nodeSelector: Object.values(c.nodeSelector),
  };
  return FIELDS.filter((f) => (values[f] ?? []).some((v) => text.includes(JSON.stringify(v).slice(1, -1))));
}

export interface ClusterInput {
  env: string;
  settings: Settings;
  /** A scratch copy of the planned tree, holding base/, components/ and overlays/<env>/ already. */
  mirror: string;
  /** Plan only these clusters (check --changed); default all. */
  only?: Set<string>;
}

export async function planClusters(input: ClusterInput, plan: FilePlan): Promise<void> {
  const { env, settings: s, mirror } = input;
  if (!s.clusters.length) return;
  const envObjects = objectsOf(s);
  await Promise.all(s.clusters.map((c, i) => (input.only && !input.only.has(c.name) ? undefined : planCluster(env, s, c, i, envObjects, mirror, plan))));
}

async function planCluster(env: string, s: Settings, c: Cluster, i: number, envObjects: Map<string, { so: StackObject; o: Obj }>, mirror: string, plan: FilePlan) {
  const dir = clusterDir(env, c.name);
  const note = SOURCE_NOTE(env, i, c);
  const cs = clusterSettings(s, c);
  const wantedObjects = objectsOf(cs);
  const files: FilePlan = new Map();
  const configMapGenerator: Record<string, unknown>[] = [];
  const patches: { path: string }[] = [];
  const added: string[] = [];

  for (const [id, { so, o }] of [...wantedObjects].sort(([a], [b]) => a.localeCompare(b))) {
    const have = envObjects.get(id)?.o;
    if (!have) {
      // A Job named by a hash of what it runs gets a name of its own here: it is added, the environment's deleted.
      const file = `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
      files.set(path.posix.join(dir, file), `${header(note)}# Replaces the environment's ${o.kind} of this name: its content (and so its name) differs here.\n${toYaml(o)}`);
      added.push(file);
      continue;
    }
    if (isDeepStrictEqual(have, o)) continue;
    if (so.generator) {
      const data = o.data ?? {};
      const before = have.data ?? {};
      const changed = Object.keys(data).filter((k) => data[k] !== before[k]).sort();
      if (so.generator === "env") {
        configMapGenerator.push({ name: o.metadata.name, behavior: "merge", literals: changed.map((k) => `${k}=${data[k]}`) });
      } else {
        // One file per key, as the base generates it.
        for (const k of changed) files.set(path.posix.join(dir, o.metadata.name, k), data[k]!);
        configMapGenerator.push({ name: o.metadata.name, behavior: "merge", files: changed.map((k) => `${k}=${o.metadata.name}/${k}`) });
      }
      continue;
    }
    const body = mergePatch(have, o, isBuiltin(o.apiVersion)) as Record<string, unknown>;
    const patch = {
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { ...(body.metadata as object), name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) },
      ...Object.fromEntries(Object.entries(body).filter(([k]) => k !== "metadata")),
    };
    const file = `patch-${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
    const fields = fieldsIn(c, body);
    const why = fields.length ? fields.map((f) => `clusters[${i}].${f}`).join(", ") : `clusters[${i}]`;
    files.set(path.posix.join(dir, file), `${header(note)}# Sets ${why} on ${o.kind}/${o.metadata.name}.\n${toYaml(patch)}`);
    patches.push({ path: file });
  }
  for (const [id, { o }] of envObjects) {
    if (wantedObjects.has(id)) continue;
    const file = `delete-${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
    const target = { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) } };
    files.set(path.posix.join(dir, file), `${header(note)}# Replaced in this cluster (see the resource of the new name).\n${toYaml({ $patch: "delete", ...target })}`);
    patches.push({ path: file });
  }

  const kustomization = {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [`../../../overlays/${env}`, ...added],
    ...(configMapGenerator.length ? { configMapGenerator } : {}),
    ...(patches.length ? { patches } : {}),
  };
  files.set(
    path.posix.join(dir, "kustomization.yaml"),
    `${header(note)}# Cluster ${c.name} (stage ${c.stage}) of environment ${env}: the environment's overlay with this cluster's values.\n${yamlBody(kustomization)}`,
  );

  // Verify against the model of the cluster's settings.
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(mirror, file)), { recursive: true });
    fs.writeFileSync(path.join(mirror, file), content);
  }
  // Hand-written extras of the environment change its build on purpose; the model cannot know them.
  if (s.extraResources.length || s.extraPatches.length) {
    for (const [file, content] of files) plan.set(file, content);
    return;
  }
  const names = generatedNames([...wantedObjects.values()].map((x) => x.so));
  const built = new Map(normalize(parseManifests((await kustomizeBuild(path.join(mirror, dir))).yaml, dir, { yaml11: true }), names).map((o) => [idOf(o), o]));
  const wanted = new Map(normalize([...wantedObjects.values()].map((x) => x.o), names).map((o) => [idOf(o), o]));
  const mismatch = [...new Set([...built.keys(), ...wanted.keys()])].find((id) => !isDeepStrictEqual(built.get(id), wanted.get(id)));
  if (mismatch) throw new InputError(`the cluster overlay does not reproduce ${mismatch}; this is a generator bug`, { file: note });
  for (const [file, content] of files) plan.set(file, content);
}
