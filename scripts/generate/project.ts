// Projects one environment onto an overlay that states only what differs from base, with kustomize's own
// means: namespace, components, labels, commonAnnotations, images, replicas, generator merges, and — for
// whatever those cannot say — targeted patches computed by diffing kustomize's output against the model.
// The result is verified: kustomize's build of the written overlay must equal the model's own rendering.
import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { createPatch, type Operation } from "rfc6902";
import type { Settings } from "../settings/schema.ts";
import { buildStack, COMPONENT_SWITCHES } from "../stack/index.ts";
import type { ComponentName, StackObject } from "../stack/types.ts";
import { kustomizeBuild } from "../lib/kustomize.ts";
import { objectId, parseManifests, stripHashSuffixes, type Manifest } from "../lib/manifest.ts";
import { InputError } from "../lib/cli.ts";
import { header, fileNameFor, plain, toYaml, yamlFile } from "./emit.ts";
import { generatorFor, yamlBody, type FilePlan, type GeneratorEntry } from "./plan.ts";

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

/** kustomize's output made comparable with the model: generated names without their hash suffix. */
export function normalize(objects: Manifest[], names: string[]): Manifest[] {
  return stripHashSuffixes(objects, names).objects.map((o) => {
    // kustomize wraps long base64 values over lines; decoders ignore the line breaks.
    if (o.kind !== "Secret" || !o.data) return o;
    return { ...o, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, String(v).replace(/\s+/g, "")])) };
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

function replicasEntries(envObjects: Manifest[], reference: Map<string, Manifest>) {
  return envObjects
    .filter((o) => (o.kind === "Deployment" || o.kind === "StatefulSet") && typeof o.spec?.replicas === "number")
    .filter((o) => reference.has(objectId(o)) && reference.get(objectId(o))?.spec?.replicas !== o.spec?.replicas)
    .map((o) => ({ name: o.metadata.name, count: o.spec?.replicas as number }));
}

function configMapMerges(env: StackObject[], reference: StackObject[], dir: string, plan: FilePlan): GeneratorEntry[] {
  const entries: GeneratorEntry[] = [];
  for (const so of env.filter((o) => o.generator && !o.localCredentials)) {
    const mine = plain(so.object) as Manifest;
    const ref = reference.find((r) => r.generator && r.object.metadata?.name === mine.metadata.name);
    if (!ref) continue;
    const theirs = (plain(ref.object) as Manifest).data ?? {};
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

/** A patch target. Patches match objects before the overlay's namespace is applied, which renames the Namespace. */
function target(o: Manifest, baseNamespace: string) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  return { ...(group ? { group } : {}), version, kind: o.kind, name: o.kind === "Namespace" ? baseNamespace : o.metadata.name };
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
  const envObjects = envStack.filter((o) => !o.localCredentials).map((o) => plain(o.object) as Manifest);
  const referenceById = new Map(reference.map((o) => [objectId(plain(o.object) as Manifest), plain(o.object) as Manifest]));

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
  const candidate = normalize(parseManifests((await kustomizeBuild(mirrorDir)).yaml, mirrorDir, { yaml11: true }), names).filter(
    (o) => !(o.kind === "Secret" && localSecrets.some((l) => l.object.metadata?.name === o.metadata.name)),
  );
  const wanted = normalize(envObjects, names);
  const candidateById = new Map(candidate.map((o) => [objectId(o), o]));
  const wantedById = new Map(wanted.map((o) => [objectId(o), o]));

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
    const o = plain(so.object) as Manifest;
    if (so.localCredentials || candidateById.has(objectId(o))) continue;
    const file = fileNameFor(o);
    added.push(file);
    overlayPlan.set(path.join(dir, file), yamlFile(so.source, o));
  }
  for (const [id, want] of wantedById) {
    const have = candidateById.get(id);
    if (!have) continue;
    const ops = wholeAnnotationMaps(createPatch(have, want), want, s.annotations);
    if (ops.length) patches.push({ target: target(want, d.namespace), patch: toYaml(ops).trimEnd() });
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
  const built = normalize(parseManifests((await kustomizeBuild(mirrorDir)).yaml, mirrorDir, { yaml11: true }), names).filter(
    (o) => !(o.kind === "Secret" && localSecrets.some((l) => l.object.metadata?.name === o.metadata.name)),
  );
  if (!extras) {
    const builtById = new Map(built.map((o) => [objectId(o), o]));
    const mismatch = [...new Set([...builtById.keys(), ...wantedById.keys()])].find(
      (id) => !isDeepStrictEqual(builtById.get(id), wantedById.get(id)),
    );
    if (mismatch) {
      throw new InputError(`the projected overlay does not reproduce ${mismatch}; this is a generator bug`, { file: source });
    }
  }
  for (const [file, content] of overlayPlan) plan.set(file, content);
}

/**
 * kustomize applies `patches` before commonAnnotations: an annotation map that only commonAnnotations creates
 * does not exist when the patch runs, so a patch adding one key to it fails ("doc is missing path"). Such
 * changes are written as one add of the whole map (the keys commonAnnotations sets are left to it).
 */
function wholeAnnotationMaps(ops: Operation[], want: Manifest, common: Record<string, string>): Operation[] {
  if (Object.keys(common).length === 0) return ops;
  const parents = new Set<string>();
  const rest = ops.filter((op) => {
    const m = /^(.*\/metadata\/annotations)\/[^/]+$/.exec(op.path);
    if (!m || op.op === "move" || op.op === "copy" || op.op === "test") return true;
    parents.add(m[1]!);
    return false;
  });
  const whole = [...parents].map((parent): Operation => {
    const map = parent.split("/").slice(1).reduce<unknown>((o, seg) => (o as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, "/").replace(/~0/g, "~")], want) as Record<string, string>;
    return { op: "add", path: parent, value: Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => !(k in common))) };
  });
  return [...rest, ...whole];
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
