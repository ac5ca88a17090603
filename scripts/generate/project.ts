// Projects one environment onto an overlay that states only what differs from base, with the most specific
// kustomize means: namespace, components (one per variant), labels (the stack version and settings.labels),
// commonAnnotations, images (every image), replicas, generator merges; then, for whatever those cannot say,
// strategic-merge patches keyed by name (strategic-merge.ts), one per group of objects that change alike, each
// with a comment naming the settings that produced it (attribution.ts); `$patch: delete` for objects that go,
// files for objects that come, and a name replacement for Jobs whose content-derived name changed.
// The result is verified: kustomize's build of the written overlay must equal the model's own rendering.
import type { Settings } from "../settings/schema.ts";
import { buildStack, COMPONENT_SWITCHES } from "../stack/index.ts";
import type { ComponentName, StackObject } from "../stack/types.ts";
import { kustomizeBuild, KustomizeBuildError } from "../lib/kustomize.ts";
import { jobStem, objectId, parseManifests, stripHashSuffixes, type Manifest } from "../lib/manifest.ts";
import { InputError } from "../lib/cli.ts";
import { header, fileNameFor, plain, yamlFile } from "./emit.ts";
import { toYaml } from "../lib/yaml.ts";
import { strategicMergePatch } from "./strategic-merge.ts";
import { checkExtras } from "./extras.ts";
import { extraFiles, traceExtraFailure } from "../lib/extras.ts";
import { settingsBehind } from "./attribution.ts";
import { imageEntries } from "./images.ts";
import { fileObject, generatorFor, labelEntries, withoutVersion, yamlBody, type FilePlan, type GeneratorEntry } from "./plan.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { isDeepStrictEqual } = process.getBuiltinModule("node:util");

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

function writeTree(root: string, plan: FilePlan, prefix: string) {
  for (const [file, content] of plan) {
    if (!file.startsWith(prefix)) continue;
    const dest = path.join(root, file);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, content);
  }
}

/** The name a patch matches: as base names it, before the overlay's namespace (which renames the Namespace). */
const baseName = (o: Manifest, baseNamespace: string) => (o.kind === "Namespace" ? baseNamespace : o.metadata.name);

interface PatchEntry {
  entry: Record<string, unknown>;
  comment: string;
}

/** Groups the per-object patches that are identical and selects each group with one target. */
function groupedPatches(
  patches: { o: Manifest; body: Record<string, unknown> }[],
  candidate: Manifest[],
  comment: (ids: Manifest[]) => string,
  baseNamespace: string,
  /** A target by kind alone may select every object of the kind (false: other objects of it may exist). */
  kindOnly: boolean,
): PatchEntry[] {
  const groups = new Map<string, { o: Manifest; body: Record<string, unknown> }[]>();
  for (const p of patches) {
    const key = JSON.stringify(p.body);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out: PatchEntry[] = [];
  for (const members of groups.values()) {
    const first = members[0]!.o;
    const { metadata = {}, ...rest } = members[0]!.body as { metadata?: Record<string, Record<string, unknown>> };
    // kustomize reads `null` under labels and annotations as the string "null": removed keys go by JSON patch.
    const removals: { op: "remove"; path: string }[] = [];
    for (const field of ["labels", "annotations"]) {
      for (const [key, value] of Object.entries(metadata[field] ?? {})) {
        if (value !== null) continue;
        removals.push({ op: "remove", path: `/metadata/${field}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}` });
        delete metadata[field]![key];
      }
      if (metadata[field] && !Object.keys(metadata[field]!).length) delete metadata[field];
    }
    // Patches match objects as base and the components name them (before this overlay's namespace).
    const ns = first.metadata.namespace ? { namespace: baseNamespace } : {};
    const merged = { apiVersion: first.apiVersion, kind: first.kind, metadata: { name: baseName(first, baseNamespace), ...ns, ...metadata }, ...rest };
    const changesMore = Object.keys(rest).length > 0 || Object.keys(metadata).length > 0;
    // One patch for objects that change alike: all objects of these kinds, or these names among them.
    const kinds = [...new Set(members.map((m) => m.o.kind))].sort();
    const names = [...new Set(members.map((m) => m.o.metadata.name))].sort();
    const ofKinds = candidate.filter((o) => kinds.includes(o.kind));
    const byKindAlone = kindOnly && ofKinds.length === members.length;
    const kind = kinds.length === 1 ? kinds[0]! : `^(${kinds.join("|")})$`;
    const target =
      members.length === 1
        ? { kind: first.kind, name: baseName(first, baseNamespace) }
        : byKindAlone
          ? { kind }
          : { kind, name: `^(${names.join("|")})$` };
    const why = comment(members.map((m) => m.o));
    if (changesMore) out.push({ entry: { ...(members.length > 1 ? { target } : {}), patch: toYaml(merged).trimEnd() }, comment: why });
    if (removals.length) out.push({ entry: { target, patch: JSON.stringify(removals) }, comment: why });
  }
  return out;
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
      labels: withoutVersion(so.object.metadata?.labels),
      ...(so.object.metadata?.annotations ? { annotations: so.object.metadata.annotations } : {}),
    },
  }));
  const replicas = replicasEntries(envObjects, referenceById);

  const mirrorDir = path.join(mirror, dir);
  fs.rmSync(mirrorDir, { recursive: true, force: true });
  fs.mkdirSync(mirrorDir, { recursive: true });
  for (const so of localSecrets) {
    const file = path.join(mirrorDir, "credentials", `${so.object.metadata?.name}.env`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const values = input.localCredentials?.[so.object.metadata?.name ?? ""] ?? {};
    fs.writeFileSync(file, Object.entries(values).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
  }
  const isLocalSecret = (o: Manifest) => o.kind === "Secret" && localSecrets.some((l) => l.object.metadata?.name === o.metadata.name);
  // `text`: the kustomization.yaml as written (the final one byte for byte as planned, header included, so its
  // build is keyed like the committed overlay's: the gate's render of that overlay and this verification, and the
  // cluster overlays built on it, are one kustomize run: scripts/lib/kustomize-cache.ts).
  const build = async (k: Record<string, unknown>, body = "", text = toYaml(k) + body): Promise<Manifest[]> => {
    writeTree(mirror, overlayPlan, dir);
    fs.writeFileSync(path.join(mirrorDir, "kustomization.yaml"), text);
    const yaml = (await kustomizeBuild(mirrorDir, { root: mirror })).yaml;
    return normalize(parseManifests(yaml, mirrorDir, { yaml11: true }), names).filter((o) => !isLocalSecret(o));
  };

  const kustomization: Record<string, unknown> = {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    // Always explicit: generators in this overlay (local Secrets) get no namespace otherwise.
    namespace: s.namespace,
    resources: ["../../base"],
    ...(components.length ? { components: components.map((c) => `../../components/${c}`) } : {}),
    labels: labelEntries(s),
    ...(Object.keys(s.annotations).length ? { commonAnnotations: s.annotations } : {}),
    ...(replicas.length ? { replicas } : {}),
    ...(configMapGenerator.length ? { configMapGenerator } : {}),
    ...(secretGenerator.length ? { secretGenerator } : {}),
  };

  // 1. kustomize's own transformers only; images from the difference of that build and the model.
  const wanted = normalize(envObjects, names);
  const transformed = await build(kustomization);
  const images = imageEntries(transformed, wanted);
  if (images.length) kustomization.images = images;
  const candidate = images.length ? await build(kustomization) : transformed;
  const candidateById = new Map(candidate.map((o) => [objectId(o), o]));
  const wantedById = new Map(wanted.map((o) => [objectId(o), o]));

  // 2. Jobs named after what they run: a changed Job is the same Job under its new name.
  const renamed = new Map<string, Manifest>(); // wanted id -> candidate object it renames
  const goneJobs = candidate.filter((o) => o.kind === "Job" && !wantedById.has(objectId(o)));
  for (const w of wanted.filter((o) => o.kind === "Job" && !candidateById.has(objectId(o)))) {
    const tags = [d.gateway.image.tag, s.gateway.image.tag];
    const c = goneJobs.find((g) => jobStem(g, tags) === jobStem(w, tags) && ![...renamed.values()].includes(g));
    if (c) renamed.set(objectId(w), c);
  }
  const renamedFrom = new Set([...renamed.values()].map(objectId));

  // 3. What the transformers could not say.
  const attribution = settingsBehind(s, d, envObjects, candidate);
  const comment = (objects: Manifest[]) => attribution(objects);
  const entries: PatchEntry[] = [];
  const deletions = candidate.filter((o) => !wantedById.has(objectId(o)) && !renamedFrom.has(objectId(o)));
  for (const o of deletions) {
    entries.push({
      // A delete patch matches objects as base names them (before this overlay's namespace).
      entry: { patch: toYaml({ $patch: "delete", apiVersion: o.apiVersion, kind: o.kind, metadata: { name: baseName(o, d.namespace), ...(o.metadata.namespace ? { namespace: d.namespace } : {}) } }).trimEnd() },
      comment: comment([o]),
    });
  }
  const added: string[] = [];
  const addedObjects: Manifest[] = [];
  for (const so of envStack) {
    const o = plain(so.object) as Manifest;
    if (so.localCredentials || candidateById.has(objectId(o)) || renamed.has(objectId(o))) continue;
    const file = fileNameFor(o);
    added.push(file);
    addedObjects.push(o);
    overlayPlan.set(path.join(dir, file), yamlFile(so.source, fileObject(so)));
  }
  const changes: { o: Manifest; body: Record<string, unknown> }[] = [];
  for (const [id, want] of wantedById) {
    const have = candidateById.get(id) ?? renamed.get(id);
    if (!have) continue;
    const body = strategicMergePatch({ ...have, metadata: { ...have.metadata, name: want.metadata.name } }, want);
    if (body) changes.push({ o: have, body });
  }
  // A target selects among everything the overlay builds: the objects it adds too, and any hand-written extra
  // resource (unknown here, so with extras every target names its objects).
  entries.push(...groupedPatches(changes, [...candidate, ...addedObjects], comment, d.namespace, s.extraResources.length === 0));
  // A Job is named after what it runs: a change makes a new Job, never an edit of an immutable one.
  for (const [id, from] of renamed) {
    const to = wantedById.get(id)!;
    entries.push({
      entry: { target: { kind: "Job", name: from.metadata.name }, patch: JSON.stringify([{ op: "replace", path: "/metadata/name", value: to.metadata.name }]) },
      comment: `${comment([to])} (new Job name)`,
    });
  }

  // 4. Hand-written extras kept in the overlay folder, applied last: checked against what the overlay renders
  // (as patches see it: names at patch time, the base's namespace for base and component objects), then copied.
  const addedIds = new Set(addedObjects.map(objectId));
  const patchable = [...wantedById].map(([id, o]) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: addedIds.has(id) ? o.metadata.name : baseName(o, d.namespace),
    ...(o.metadata.namespace ? { namespace: addedIds.has(id) ? o.metadata.namespace : d.namespace } : {}),
  }));
  checkExtras(s, env, input.root, patchable, d.namespace);
  const extras = copyExtras(s, env, input.root, mirrorDir);
  for (const p of s.extraPatches) entries.push({ entry: { path: p.path, ...(p.target ? { target: p.target } : {}) }, comment: "extraPatches (hand-written)" });
  const final = { ...kustomization, resources: ["../../base", ...added, ...s.extraResources] };
  const patchesText = entries.length ? patchesYaml(entries.map((e) => inFileWhenLong(e, dir, source, overlayPlan))) : "";
  const kustomizationText = header(source) + yamlBody(final) + patchesText;
  overlayPlan.set(path.join(dir, "kustomization.yaml"), kustomizationText);

  // 5. Verify: kustomize's build of the overlay equals the model (unless hand-written extras change it).
  let built: Manifest[];
  try {
    built = await build(final, patchesText, kustomizationText);
  } catch (err) {
    if (!extras || !(err instanceof KustomizeBuildError)) throw err;
    // What the checks above did not foresee: the first extra whose addition breaks the build is named.
    throw await traceExtraFailure(s, env, input.root, async (resources, patches) => {
      const some = { ...final, resources: ["../../base", ...added, ...resources] };
      const mine = patchesYaml(entries.slice(0, entries.length - s.extraPatches.length + patches).map((e) => inFileWhenLong(e, dir, source, overlayPlan)));
      await build(some, entries.length ? mine : "");
    }, err);
  }
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

/** Inline patches longer than this many lines go to a file of their own (overlays/<env>/patches/), as by hand. */
const INLINE_PATCH_LINES = 12;

function inFileWhenLong(e: PatchEntry, dir: string, source: string, plan: FilePlan): PatchEntry {
  const text = e.entry.patch;
  if (typeof text !== "string" || text.startsWith("[") || text.split("\n").length <= INLINE_PATCH_LINES) return e;
  const doc = parseManifests(text)[0]!;
  const file = `patches/${fileNameFor(doc)}`;
  plan.set(path.join(dir, file), header(source) + text + "\n");
  const { patch: _, ...rest } = e.entry;
  return { entry: { path: file, ...rest }, comment: e.comment };
}

/** `patches:` with a comment above each entry naming the settings behind it. */
function patchesYaml(entries: PatchEntry[]): string {
  const items = entries.map(({ entry, comment }) => {
    const text = toYaml([entry]).trimEnd().split("\n").map((l) => `  ${l}`).join("\n");
    return (comment ? `  # ${comment}\n` : "") + text;
  });
  return `patches:\n${items.join("\n")}\n`;
}

/** Copies hand-written extra resources and patches (checked: inside the overlay folder) into the scratch tree; true when there are any. */
function copyExtras(s: Settings, env: string, root: string, mirrorDir: string): boolean {
  const files = extraFiles(s, env, root);
  for (const { file, abs } of files) {
    fs.mkdirSync(path.dirname(path.join(mirrorDir, file)), { recursive: true });
    fs.copyFileSync(abs, path.join(mirrorDir, file));
  }
  return files.length > 0;
}
