// Projects one environment onto an overlay that states only what differs from base, with kustomize's own
// means: namespace, components, labels, commonAnnotations, images, replicas, generator merges, and — for
// whatever those cannot say — targeted patches computed by diffing kustomize's output against the model.
// The result is verified: kustomize's build of the written overlay must equal the model's own rendering.
import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { createPatch } from "rfc6902";
import { loadAllAsYaml11 } from "../lib/yaml.ts";
import type { Settings } from "../settings/schema.ts";
import { buildStack, COMPONENT_SWITCHES } from "../stack/index.ts";
import type { ComponentName, StackObject } from "../stack/types.ts";
import { kustomizeBuild } from "../lib/kustomize.ts";
import { InputError } from "../lib/cli.ts";
import { header, fileNameFor, plain, toYaml, yamlFile } from "./emit.ts";
import { generatorFor, yamlBody, type FilePlan, type GeneratorEntry } from "./plan.ts";

export type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { replicas?: number } & Record<string, unknown>;
  data?: Record<string, string>;
  [k: string]: unknown;
};

export const idOf = (o: Pick<Obj, "apiVersion" | "kind" | "metadata">) => `${o.apiVersion}/${o.kind}/${o.metadata.name}`;

export interface OverlayInput {
  env: string;
  settings: Settings;
  defaults: Settings;
  /** What the overlay builds on: base objects and every Component's objects. */
  reference: StackObject[];
  localCredentials?: Record<string, Record<string, string>>;
  /** A scratch copy of the planned tree (base/, components/) where overlays are built and verified. */
  mirror: string;
  /** The repository being generated (hand-written extras are read from its overlay folder). */
  root: string;
}

/** Names kustomize suffixes with a content hash; they are compared without the suffix. */
export function generatedNames(objects: StackObject[]): string[] {
  return objects.filter((o) => o.generator).map((o) => o.object.metadata?.name ?? "");
}

/** kustomize's output as objects, plain scalars read as YAML 1.1 would (kustomize does): a value that
 * changed type on the way fails the equivalence check. js-yaml: the `yaml` package is ~10x slower here. */
export function parseObjects(yamlText: string): Obj[] {
  return loadAllAsYaml11(yamlText).filter((o): o is Obj => o !== null && typeof o === "object");
}

/** Strips kustomize's hash suffix from generated names wherever they appear. */
export function normalize(objects: Obj[], names: string[]): Obj[] {
  const re = names.length ? new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})-[a-z0-9]{10}$`) : null;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return re ? v.replace(re, "$1") : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return objects.map((o) => {
    const n = walk(o) as Obj;
    // kustomize wraps long base64 values over lines; decoders ignore the line breaks.
    if (n.kind === "Secret" && n.data) n.data = Object.fromEntries(Object.entries(n.data).map(([k, v]) => [k, String(v).replace(/\s+/g, "")]));
    return n;
  });
}

const IMAGE_SETTINGS = ["gateway", "fastTime", "postgres", "redis"] as const;

function imagesEntries(s: Settings, d: Settings) {
  return IMAGE_SETTINGS.flatMap((key) => {
    const want = s[key].image;
    const was = d[key].image;
    if (want.repository === was.repository && want.tag === was.tag && want.digest === was.digest) return [];
    return [
      {
        name: was.repository,
        ...(want.repository !== was.repository ? { newName: want.repository } : {}),
        ...(want.tag !== was.tag || want.digest ? { newTag: want.tag } : {}),
        ...(want.digest ? { digest: want.digest } : {}),
      },
    ];
  });
}

function replicasEntries(envObjects: Obj[], reference: Map<string, Obj>) {
  return envObjects
    .filter((o) => (o.kind === "Deployment" || o.kind === "StatefulSet") && typeof o.spec?.replicas === "number")
    .filter((o) => reference.has(idOf(o)) && reference.get(idOf(o))?.spec?.replicas !== o.spec?.replicas)
    .map((o) => ({ name: o.metadata.name, count: o.spec?.replicas as number }));
}

function configMapMerges(env: StackObject[], reference: StackObject[], dir: string, plan: FilePlan): GeneratorEntry[] {
  const entries: GeneratorEntry[] = [];
  for (const so of env.filter((o) => o.generator && !o.localCredentials)) {
    const mine = plain(so.object) as Obj;
    const ref = reference.find((r) => r.generator && r.object.metadata?.name === mine.metadata.name);
    if (!ref) continue;
    const theirs = (plain(ref.object) as Obj).data ?? {};
    const data = mine.data ?? {};
    if (isDeepStrictEqual(data, theirs)) continue;
    const removed = Object.keys(theirs).some((k) => !(k in data));
    if (so.generator === "files" || removed) {
      const entry = generatorFor(so, dir, plan);
      delete entry.options;
      entries.push({ ...entry, behavior: removed && so.generator === "env" ? "replace" : "merge" });
      continue;
    }
    const literals = Object.keys(data)
      .filter((k) => data[k] !== theirs[k])
      .sort()
      .map((k) => `${k}=${data[k]}`);
    entries.push({ name: mine.metadata.name, behavior: "merge", literals });
  }
  return entries;
}

function target(o: Obj) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  return { ...(group ? { group } : {}), version, kind: o.kind, name: o.metadata.name };
}

function writeTree(root: string, plan: FilePlan, prefix: string) {
  for (const [file, content] of plan) {
    if (!file.startsWith(prefix)) continue;
    const dest = path.join(root, file);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, content);
  }
}

export async function planOverlay(input: OverlayInput, plan: FilePlan): Promise<void> {
  const { env, settings: s, defaults: d, reference, mirror } = input;
  const dir = path.join("overlays", env);
  const source = `${dir}/settings.yaml`;
  const envStack = buildStack({ settings: s, localCredentials: input.localCredentials });
  const names = generatedNames([...envStack, ...reference]);
  const envObjects = envStack.filter((o) => !o.localCredentials).map((o) => plain(o.object) as Obj);
  const referenceById = new Map(reference.map((o) => [idOf(plain(o.object) as Obj), plain(o.object) as Obj]));

  const overlayPlan: FilePlan = new Map();
  const components = (Object.keys(COMPONENT_SWITCHES) as ComponentName[]).filter((c) => COMPONENT_SWITCHES[c](s));
  const configMapGenerator = configMapMerges(envStack, reference, dir, overlayPlan);
  const localSecrets = envStack.filter((o) => o.localCredentials);
  const secretGenerator = localSecrets.map((so) => ({
    name: so.object.metadata?.name ?? "",
    envs: [`credentials/${so.object.metadata?.name}.env`],
    type: "Opaque",
    options: {
      labels: so.object.metadata?.labels ?? {},
      ...(so.object.metadata?.annotations ? { annotations: so.object.metadata.annotations } : {}),
    },
  }));
  const images = imagesEntries(s, d);
  const replicas = replicasEntries(envObjects, referenceById);

  const kustomization: Record<string, unknown> = {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    // Always explicit: generators in this overlay (local Secrets) get no namespace otherwise.
    namespace: s.namespace,
    resources: ["../../base"],
    ...(components.length ? { components: components.map((c) => `../../components/${c}`) } : {}),
    ...(Object.keys(s.labels).length ? { labels: [{ pairs: s.labels, includeSelectors: false, includeTemplates: true }] } : {}),
    ...(Object.keys(s.annotations).length ? { commonAnnotations: s.annotations } : {}),
    ...(images.length ? { images } : {}),
    ...(replicas.length ? { replicas } : {}),
    ...(configMapGenerator.length ? { configMapGenerator } : {}),
    ...(secretGenerator.length ? { secretGenerator } : {}),
  };

  // 1. Build the overlay with kustomize's own transformers only, then diff against the model.
  const mirrorDir = path.join(mirror, dir);
  fs.rmSync(mirrorDir, { recursive: true, force: true });
  fs.mkdirSync(mirrorDir, { recursive: true });
  writeTree(mirror, overlayPlan, dir);
  for (const so of localSecrets) {
    const file = path.join(mirrorDir, "credentials", `${so.object.metadata?.name}.env`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const values = input.localCredentials?.[so.object.metadata?.name ?? ""] ?? {};
    fs.writeFileSync(file, Object.entries(values).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
  }
  fs.writeFileSync(path.join(mirrorDir, "kustomization.yaml"), toYaml(kustomization));
  const candidate = normalize(parseObjects((await kustomizeBuild(mirrorDir)).yaml), names).filter(
    (o) => !(o.kind === "Secret" && localSecrets.some((l) => l.object.metadata?.name === o.metadata.name)),
  );
  const wanted = normalize(envObjects, names);
  const candidateById = new Map(candidate.map((o) => [idOf(o), o]));
  const wantedById = new Map(wanted.map((o) => [idOf(o), o]));

  // 2. Whatever the transformers could not express: deletions, additions, targeted JSON patches.
  const patches: Record<string, unknown>[] = [];
  for (const [id, o] of candidateById) {
    if (wantedById.has(id)) continue;
    patches.push({
      // Patches match objects before the overlay's namespace is applied: name them as base does.
      patch: toYaml({
        $patch: "delete",
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: { name: o.metadata.name, ...(o.metadata.namespace ? { namespace: d.namespace } : {}) },
      }).trimEnd(),
    });
  }
  const added: string[] = [];
  for (const so of envStack) {
    const o = plain(so.object) as Obj;
    if (so.localCredentials || candidateById.has(idOf(o))) continue;
    const file = fileNameFor(o);
    added.push(file);
    overlayPlan.set(path.join(dir, file), yamlFile(so.source, o));
  }
  for (const [id, want] of wantedById) {
    const have = candidateById.get(id);
    if (!have) continue;
    const ops = createPatch(have, want);
    if (ops.length) patches.push({ target: target(want), patch: toYaml(ops).trimEnd() });
  }

  // 3. Hand-written extras kept in the overlay folder, applied last.
  const extras = copyExtras(s, env, input.root, mirrorDir);
  const final = {
    ...kustomization,
    resources: ["../../base", ...added, ...s.extraResources],
    ...(patches.length || s.extraPatches.length
      ? { patches: [...patches, ...s.extraPatches.map((p) => ({ path: p.path, ...(p.target ? { target: p.target } : {}) }))] }
      : {}),
  };
  overlayPlan.set(path.join(dir, "kustomization.yaml"), header(source) + yamlBody(final));

  // 4. Verify: kustomize's build of the overlay equals the model (unless hand-written extras change it).
  writeTree(mirror, overlayPlan, dir);
  const built = normalize(parseObjects((await kustomizeBuild(mirrorDir)).yaml), names).filter(
    (o) => !(o.kind === "Secret" && localSecrets.some((l) => l.object.metadata?.name === o.metadata.name)),
  );
  if (!extras) {
    const builtById = new Map(built.map((o) => [idOf(o), o]));
    const mismatch = [...new Set([...builtById.keys(), ...wantedById.keys()])].find(
      (id) => !isDeepStrictEqual(builtById.get(id), wantedById.get(id)),
    );
    if (mismatch) {
      throw new InputError(`the projected overlay does not reproduce ${mismatch}; this is a generator bug`, { file: source });
    }
  }
  for (const [file, content] of overlayPlan) plan.set(file, content);
}

/** Copies hand-written extra resources and patches into the scratch tree; true when there are any. */
function copyExtras(s: Settings, env: string, root: string, mirrorDir: string): boolean {
  const files = [
    ...s.extraResources.map((f, i) => ({ f, key: `extraResources.${i}` })),
    ...s.extraPatches.map((p, i) => ({ f: p.path, key: `extraPatches.${i}.path` })),
  ];
  for (const { f, key } of files) {
    const from = path.join(root, "overlays", env, f);
    if (!fs.existsSync(from)) {
      throw new InputError(`file ${f} does not exist`, { file: `overlays/${env}/settings.yaml`, path: key, expected: `a file in overlays/${env}/` });
    }
    fs.mkdirSync(path.dirname(path.join(mirrorDir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(mirrorDir, f));
  }
  return files.length > 0;
}
