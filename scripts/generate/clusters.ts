// Cluster overlays of a fleet: clusters/<env>/<cluster>/ builds on overlays/<env> (resources: ../../../overlays/<env>;
// kustomize refuses an overlay inside the folder it builds on)
// and says only what differs in that cluster: the gateway ConfigMap through configMapGenerator merge, every other
// object through one strategic-merge patch file whose header names the cluster settings that produced it.
// Nothing here names a Job: Jobs are patched by kind or label, and their cluster suffix (stack/fleet.ts) is appended
// by a PrefixSuffixTransformer, so a version bump (which renames the environment's Jobs) leaves these files alone.
// As for environments, the result is verified: kustomize's build must equal the model of the cluster.
import { InputError } from "../lib/cli.ts";
import { kustomizeBuild } from "../lib/kustomize.ts";
import { RENDERED_CLUSTER_FIELDS, type Cluster } from "../settings/clusters.ts";
import type { Settings } from "../settings/schema.ts";
import { buildStack } from "../stack/index.ts";
import { buildClusterStack, clusterJobSuffix } from "../stack/fleet.ts";
import type { StackObject } from "../stack/types.ts";
import { header, plain, toYaml } from "./emit.ts";
import { yamlBody, type FilePlan } from "./plan.ts";
import { objectId as idOf, jobStem, parseManifests, type Manifest as Obj } from "../lib/manifest.ts";
import { generatedNames, normalize } from "./project.ts";
import { strategicMergePatch } from "./strategic-merge.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { isDeepStrictEqual } = process.getBuiltinModule("node:util");

const SOURCE_NOTE = (env: string, i: number, c: Cluster) => `overlays/${env}/settings.yaml clusters[${i}] (${c.name})`;

export const clusterDir = (env: string, cluster: string) => path.posix.join("clusters", env, cluster);

const byId = (objects: StackObject[]) =>
  new Map(objects.map((so) => {
    const o = plain(so.object) as Obj;
    return [idOf(o), { so, o }];
  }));

/** The cluster fields whose values a patch carries (for its comment): cheap, no extra model builds. */
function fieldsIn(c: Cluster, patch: unknown): string[] {
  const text = JSON.stringify(patch);
  const values: Record<string, string[]> = {
    host: c.host ? [c.host] : [],
    additionalHosts: c.additionalHosts ?? [],
    region: c.region ? [c.region] : [],
    gatewayRoleArn: c.gatewayRoleArn ? [c.gatewayRoleArn] : [],
    backupRoleArn: c.backupRoleArn ? [c.backupRoleArn] : [],
    secretStorePrefix: c.secretStorePrefix ? [c.secretStorePrefix] : [],
    backup: [c.backup?.bucket, c.backup?.prefix].filter((v): v is string => Boolean(v)),
    nodeSelector: Object.values(c.nodeSelector),
  };
  return RENDERED_CLUSTER_FIELDS.filter((f) => (values[f] ?? []).some((v) => text.includes(JSON.stringify(v).slice(1, -1))));
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
  const envObjects = byId(buildStack({ settings: s }));
  await Promise.all(s.clusters.map((c, i) => (input.only && !input.only.has(c.name) ? undefined : planCluster(env, s, c, i, envObjects, mirror, plan))));
}

const APP_NAME = "app.kubernetes.io/name";

/**
 * The one object a patch is for, selected by a target rather than by the patch's own metadata: a strategic-merge
 * patch that names the namespace makes kustomize re-read the merged namespace as a plain scalar (`"00123"` comes
 * out as 83, `"1e3"` as 1000), while a target leaves the object's namespace as the environment's overlay set it.
 */
function exactTarget(o: Obj): Record<string, string> {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  return {
    ...(group ? { group } : {}),
    version: version!,
    kind: o.kind,
    name: `^${o.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  };
}

/** The narrowest target for Jobs that change alike: every Job, the Jobs of some app names, or the Jobs of these stems. */
function jobTarget(members: Obj[], allJobs: Obj[]): Record<string, string> {
  if (members.length === allJobs.length) return { kind: "Job" };
  const apps = [...new Set(members.map((o) => o.metadata.labels?.[APP_NAME] ?? ""))].sort();
  const selected = allJobs.filter((o) => apps.includes(o.metadata.labels?.[APP_NAME] ?? ""));
  if (!apps.includes("") && selected.length === members.length) return { kind: "Job", labelSelector: `${APP_NAME} in (${apps.join(",")})` };
  return { kind: "Job", name: `^(${[...new Set(members.map((o) => jobStem(o)))].sort().join("|")})-.*$` };
}

async function planCluster(env: string, s: Settings, c: Cluster, i: number, envObjects: Map<string, { so: StackObject; o: Obj }>, mirror: string, plan: FilePlan) {
  const dir = clusterDir(env, c.name);
  const note = SOURCE_NOTE(env, i, c);
  const model = buildClusterStack(s, c);
  // Compared with the environment as kustomize sees them before the suffix transformer: Jobs without the suffix.
  const suffix = clusterJobSuffix(c);
  const unsuffixed = (o: Obj): Obj => (o.kind === "Job" && suffix ? { ...o, metadata: { ...o.metadata, name: o.metadata.name.slice(0, -suffix.length) } } : o);
  const wantedObjects = new Map([...byId(model).values()].map(({ so, o }) => [idOf(unsuffixed(o)), { so, o: unsuffixed(o) }]));
  const files: FilePlan = new Map();
  const configMapGenerator: Record<string, unknown>[] = [];
  const patches: ({ path: string } | { target: Record<string, string>; path: string })[] = [];
  const added: string[] = [];
  const jobChanges: { o: Obj; body: Record<string, unknown> }[] = [];
  const why = (body: unknown) => {
    const fields = fieldsIn(c, body);
    return fields.length ? fields.map((f) => `clusters[${i}].${f}`).join(", ") : `clusters[${i}]`;
  };

  for (const [id, { so, o }] of [...wantedObjects].sort(([a], [b]) => a.localeCompare(b))) {
    const have = envObjects.get(id)?.o;
    if (!have) {
      const file = `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
      files.set(path.posix.join(dir, file), `${header(note)}# Only in this cluster.\n${toYaml(o)}`);
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
    const body = (strategicMergePatch(have, o) ?? {}) as Record<string, unknown>;
    if (o.kind === "Job") {
      jobChanges.push({ o, body });
      continue;
    }
    const patch = {
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { ...(body.metadata as object), name: o.metadata.name },
      ...Object.fromEntries(Object.entries(body).filter(([k]) => k !== "metadata")),
    };
    const file = `patch-${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
    files.set(path.posix.join(dir, file), `${header(note)}# Sets ${why(body)} on ${o.kind}/${o.metadata.name}.\n${toYaml(patch)}`);
    patches.push({ target: exactTarget(o), path: file });
  }

  // Jobs that change alike get one patch, selected by kind or label: their names carry the version.
  const groups = new Map<string, Obj[]>();
  for (const { o, body } of jobChanges) groups.set(JSON.stringify(body), [...(groups.get(JSON.stringify(body)) ?? []), o]);
  const allJobs = [...envObjects.values()].map((e) => e.o).filter((o) => o.kind === "Job");
  for (const [key, members] of groups) {
    const body = JSON.parse(key) as Record<string, unknown>;
    const stems = members.map((o) => jobStem(o)).sort();
    const target = jobTarget(members, allJobs);
    const { metadata, ...rest } = body as { metadata?: object };
    // With a target, kustomize keeps each Job's own name; the patch's name only says which Jobs these are.
    const patch = { apiVersion: members[0]!.apiVersion, kind: "Job", metadata: { ...metadata, name: stems.length === 1 ? stems[0]! : "jobs" }, ...rest };
    const file = target.labelSelector || target.name ? `patch-jobs-${stems.join("-")}.yaml` : "patch-jobs.yaml";
    files.set(path.posix.join(dir, file), `${header(note)}# Sets ${why(body)} on the Jobs ${stems.join(", ")}.\n${toYaml(patch)}`);
    patches.push({ target, path: file });
  }

  for (const [id, { o }] of envObjects) {
    if (wantedObjects.has(id)) continue;
    const file = `delete-${o.kind.toLowerCase()}-${o.kind === "Job" ? jobStem(o) : o.metadata.name}.yaml`;
    const named = { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name } };
    files.set(path.posix.join(dir, file), `${header(note)}# Not in this cluster.\n${toYaml({ $patch: "delete", ...named })}`);
    patches.push({ target: exactTarget(o), path: file });
  }

  const kustomization = {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    // The environment's namespace again (a no-op: its overlay already put every object there), because kustomize's
    // strategic-merge patching re-writes a patched object's namespace as a plain scalar: "2001-12-14" comes out
    // as 2001-12-14T00:00:00Z, "00123" as 83; the namespace transformer runs after the patches and sets it back.
    namespace: s.namespace,
    resources: [`../../../overlays/${env}`, ...added],
    ...(configMapGenerator.length ? { configMapGenerator } : {}),
    ...(patches.length ? { patches } : {}),
  };
  const hasJobs = [...wantedObjects.values()].some(({ o }) => o.kind === "Job");
  files.set(
    path.posix.join(dir, "kustomization.yaml"),
    `${header(note)}# Cluster ${c.name} (stage ${c.stage}) of environment ${env}: the environment's overlay with this cluster's values.\n${yamlBody(kustomization)}` +
      (suffix && hasJobs ? jobSuffixTransformer(suffix, i) : ""),
  );

  // Verify against the model of the cluster.
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(mirror, file)), { recursive: true });
    fs.writeFileSync(path.join(mirror, file), content);
  }
  // Hand-written extras of the environment change its build on purpose; the model cannot know them.
  if (s.extraResources.length || s.extraPatches.length) {
    for (const [file, content] of files) plan.set(file, content);
    return;
  }
  const names = generatedNames(model);
  const built = new Map(normalize(parseManifests((await kustomizeBuild(path.join(mirror, dir), { root: mirror })).yaml, dir, { yaml11: true }), names).map((o) => [idOf(o), o]));
  const wanted = new Map(normalize(model.map((so) => plain(so.object) as Obj), names).map((o) => [idOf(o), o]));
  const mismatch = [...new Set([...built.keys(), ...wanted.keys()])].find((id) => !isDeepStrictEqual(built.get(id), wanted.get(id)));
  if (mismatch) throw new InputError(`the cluster overlay does not reproduce ${mismatch}; this is a generator bug`, { file: note });
  for (const [file, content] of files) plan.set(file, content);
}

/** Appends the cluster's suffix to every Job name (and to nothing else): the hash changes only with clusters[i]. */
function jobSuffixTransformer(suffix: string, i: number): string {
  const config = {
    apiVersion: "builtin",
    kind: "PrefixSuffixTransformer",
    metadata: { name: "job-names" },
    suffix,
    fieldSpecs: [{ kind: "Job", path: "metadata/name" }],
  };
  return (
    `# Jobs: the environment's name (what they run) plus a hash of clusters[${i}]'s values (scripts/stack/fleet.ts),\n` +
    `# so a change of either creates new Jobs instead of editing immutable ones.\n` +
    `transformers:\n${toYaml([toYaml(config).trimEnd()]).trimEnd().split("\n").map((l) => `  ${l}`).join("\n")}\n`
  );
}
