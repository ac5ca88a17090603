// Plans every generated file from the typed model: base/, components/<name>/, overlays/<env>/.
// A plan is a map of repo-relative path -> content; writing or checking it is files.ts's job.
import type { Settings } from "../settings/schema.ts";
import { buildStack, COMPONENT_SWITCHES, PATCHING_COMPONENTS, withComponent } from "../stack/index.ts";
import { stackVersionLabel, VERSION_LABEL } from "../stack/meta.ts";
import type { ComponentName, StackObject } from "../stack/types.ts";
import { envFile, fileNameFor, header, plain, toYaml, yamlFile } from "./emit.ts";
import { objectId, type Manifest } from "../lib/manifest.ts";
import { strategicMergePatch } from "./strategic-merge.ts";
const path = process.getBuiltinModule("node:path");

export type FilePlan = Map<string, string>;

const KUSTOMIZE_API = "kustomize.config.k8s.io/v1beta1";
const COMPONENT_API = "kustomize.config.k8s.io/v1alpha1";

export interface GeneratorEntry {
  name: string;
  behavior?: "merge" | "replace";
  envs?: string[];
  files?: string[];
  literals?: string[];
  options?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** Labels without the stack version (each kustomization's `labels` entry sets it: labelEntries). */
export const withoutVersion = (labels: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(labels).filter(([k]) => k !== VERSION_LABEL));

/** The `labels` entries of a kustomization: the stack version on every object's metadata, settings.labels on templates too. */
export function labelEntries(s: Settings) {
  return [
    { pairs: stackVersionLabel(s), includeSelectors: false, includeTemplates: false },
    ...(Object.keys(s.labels).length ? [{ pairs: s.labels, includeSelectors: false, includeTemplates: true }] : []),
  ];
}

/** An object as its file holds it: plain JSON, the stack version left to the kustomization. */
export function fileObject(so: StackObject): Record<string, unknown> {
  const o = plain(so.object) as { metadata?: { labels?: Record<string, string> } };
  return o.metadata?.labels ? { ...o, metadata: { ...o.metadata, labels: withoutVersion(o.metadata.labels) } } : o;
}

/** A generated ConfigMap/Secret: written as an env file or as one file per key, listed in a generator. */
export function generatorFor(so: StackObject, dir: string, plan: FilePlan): GeneratorEntry {
  const o = plain(so.object) as { metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; data?: Record<string, string> };
  const name = o.metadata.name;
  const options = {
    ...(o.metadata.labels ? { labels: withoutVersion(o.metadata.labels) } : {}),
    ...(o.metadata.annotations ? { annotations: o.metadata.annotations } : {}),
  };
  const data = o.data ?? {};
  if (so.generator === "files") {
    for (const [key, value] of Object.entries(data)) plan.set(path.join(dir, key), value);
    return { name, files: Object.keys(data), options };
  }
  plan.set(path.join(dir, `${name}.env`), envFile(so.source, data));
  return { name, envs: [`${name}.env`], options };
}

/** base/: every object of the default settings that is not in a Component. */
export function planBase(defaults: Settings, plan: FilePlan): StackObject[] {
  const objects = buildStack({ settings: defaults }).filter((o) => !o.component);
  const resources: string[] = [];
  const configMapGenerator: GeneratorEntry[] = [];
  for (const so of objects) {
    if (so.generator) {
      configMapGenerator.push(generatorFor(so, "base", plan));
      continue;
    }
    const file = fileNameFor(so.object);
    resources.push(file);
    plan.set(path.join("base", file), yamlFile(so.source, fileObject(so)));
  }
  plan.set(
    "base/kustomization.yaml",
    header("scripts/stack/index.ts (default settings)") +
      yamlBody({
        apiVersion: KUSTOMIZE_API,
        kind: "Kustomization",
        namespace: defaults.namespace,
        labels: labelEntries(defaults),
        resources,
        configMapGenerator,
      }),
  );
  return objects;
}

/** components/<name>/: the objects each optional feature adds, rendered from the default settings with it switched on. */
export function planComponents(defaults: Settings, plan: FilePlan, baseObjects?: StackObject[]): Map<ComponentName, StackObject[]> {
  const byComponent = new Map<ComponentName, StackObject[]>();
  // planBase's objects when the caller has them (the same build of the default settings, read only here).
  const base = new Map((baseObjects ?? buildStack({ settings: defaults }).filter((o) => !o.component)).map((so) => [objectId(plain(so.object) as Manifest), so]));
  for (const name of Object.keys(COMPONENT_SWITCHES) as ComponentName[]) {
    const stack = buildStack({ settings: withComponent(defaults, name) });
    const objects = stack.filter((o) => o.component === name);
    byComponent.set(name, objects);
    const dir = path.join("components", name);
    const resources = objects.map((so) => {
      const file = fileNameFor(so.object);
      plan.set(path.join(dir, file), yamlFile(so.source, fileObject(so)));
      return file;
    });
    // A patching Component: what switching it on changes in base objects, one strategic-merge patch per object.
    const patches: { path: string }[] = [];
    for (const so of PATCHING_COMPONENTS.has(name) ? stack.filter((o) => !o.component) : []) {
      const want = fileObject(so) as Manifest;
      const have = base.get(objectId(want));
      const body = have && strategicMergePatch(fileObject(have) as Manifest, want);
      if (!body) continue;
      const file = `patch-${fileNameFor(so.object)}`;
      const { name: n, namespace } = want.metadata;
      const patch = { apiVersion: want.apiVersion, kind: want.kind, metadata: { name: n, ...(namespace ? { namespace } : {}), ...(body.metadata as object) }, ...Object.fromEntries(Object.entries(body).filter(([k]) => k !== "metadata")) };
      plan.set(path.join(dir, file), `${header(`scripts/stack/${name}.ts`)}# What switching the Component on changes in ${want.kind}/${n}.\n${toYaml(patch)}`);
      patches.push({ path: file });
    }
    plan.set(
      path.join(dir, "kustomization.yaml"),
      header(`scripts/stack/${name}.ts`) +
        yamlBody({ apiVersion: COMPONENT_API, kind: "Component", ...(resources.length ? { resources } : {}), ...(patches.length ? { patches } : {}) }),
    );
  }
  return byComponent;
}

function yamlBody(value: unknown): string {
  return yamlFile("", value).split("\n").slice(1).join("\n");
}

export { yamlBody };
