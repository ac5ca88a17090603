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
import { objectId as idOf, jobStem, parseManifests, type Manifest as Obj } from "../lib/manifest.ts";
import { generatedNames, normalize } from "./project.ts";
import { strategicMergePatch } from "./strategic-merge.ts";

const SOURCE_NOTE = (env: string, i: number, c: Cluster) => `overlays/${env}/settings.yaml clusters[${i}] (${c.name})`;

/** The cluster fields that change rendered objects (destination changes only the Argo CD Application). */
const FIELDS = ["host", "region", "gatewayRoleArn", "backupRoleArn", "secretStorePrefix", "backup", "nodeSelector"] as const;

export const clusterDir = (env: string, cluster: string) => path.posix.join("clusters", env, cluster);

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
  const patches: ({ path: string } | { target: { kind: string; name: string }; patch: string })[] = [];
  const added: string[] = [];
  // A Job named after what it runs (shapes.ts nameByContent) gets a name of its own here: the same Job, renamed.
  const renamed = new Map<string, Obj>();
  for (const [id, { o }] of wantedObjects) {
    if (o.kind !== "Job" || envObjects.has(id)) continue;
    const from = [...envObjects.values()].find((e) => e.o.kind === "Job" && !wantedObjects.has(idOf(e.o)) && jobStem(e.o) === jobStem(o));
    if (from) renamed.set(id, from.o);
  }
  const renamedFrom = new Set([...renamed.values()].map(idOf));

  for (const [id, { so, o }] of [...wantedObjects].sort(([a], [b]) => a.localeCompare(b))) {
    const from = renamed.get(id);
    const have = envObjects.get(id)?.o ?? (from ? { ...from, metadata: { ...from.metadata, name: o.metadata.name } } : undefined);
    if (!have) {
      const file = `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
      files.set(path.posix.join(dir, file), `${header(note)}# Only in this cluster.\n${toYaml(o)}`);
      added.push(file);
      continue;
    }
    if (from) {
      patches.push({ target: { kind: "Job", name: from.metadata.name }, patch: JSON.stringify([{ op: "replace", path: "/metadata/name", value: o.metadata.name }]) });
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
    const body = (strategicMergePatch(have, o) ?? {}) as Record<string, unknown>;
    const name = from?.metadata.name ?? o.metadata.name; // a renamed Job is patched under its old name, then renamed
    const patch = {
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { ...(body.metadata as object), name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) },
      ...Object.fromEntries(Object.entries(body).filter(([k]) => k !== "metadata")),
    };
    const file = `patch-${o.kind.toLowerCase()}-${o.kind === "Job" ? jobStem(o) : o.metadata.name}.yaml`;
    const fields = fieldsIn(c, body);
    const why = fields.length ? fields.map((f) => `clusters[${i}].${f}`).join(", ") : `clusters[${i}]`;
    files.set(path.posix.join(dir, file), `${header(note)}# Sets ${why} on ${o.kind}/${o.metadata.name}.\n${toYaml(patch)}`);
    // The rename comes after the patch that names the Job by its old name.
    const rename = from ? patches.pop() : undefined;
    patches.push({ path: file });
    if (rename) patches.push(rename);
  }
  for (const [id, { o }] of envObjects) {
    if (wantedObjects.has(id) || renamedFrom.has(id)) continue;
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
  const built = new Map(normalize(parseManifests((await kustomizeBuild(path.join(mirror, dir), { root: mirror })).yaml, dir, { yaml11: true }), names).map((o) => [idOf(o), o]));
  const wanted = new Map(normalize([...wantedObjects.values()].map((x) => x.o), names).map((o) => [idOf(o), o]));
  const mismatch = [...new Set([...built.keys(), ...wanted.keys()])].find((id) => !isDeepStrictEqual(built.get(id), wanted.get(id)));
  if (mismatch) throw new InputError(`the cluster overlay does not reproduce ${mismatch}; this is a generator bug`, { file: note });
  for (const [file, content] of files) plan.set(file, content);
}
