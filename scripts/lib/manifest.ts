// "A Kubernetes manifest", owned here and only here: its type, reading kustomize output, kustomize's
// hash-suffix pattern, API group, object keys and ids.
//
// Which YAML library is for what (kept to across scripts/):
//  - js-yaml for bulk reads of rendered manifests (parseManifests below): ~10x faster than `yaml` here, and
//    kustomize's output is machine-written, so positions are not needed. The YAML 1.2 core schema by default;
//    `yaml11` reads plain scalars as kustomize (YAML 1.1) does, for the generator's equivalence proof.
//  - `yaml` where positions or comments matter or where we write: settings.yaml (line numbers in errors), the
//    kustomization files the build cache walks, and every file the generator emits (the one emitter, lib/yaml.ts).
//    The policy and validate engines keep their own readers (they are generic and import nothing from the project).
import { CORE_SCHEMA, loadAll } from "js-yaml";
import { InputError } from "./cli.ts";
import { withoutHashSuffix } from "./hash-suffix.ts";
import { loadAllAsYaml11 } from "./yaml.ts";

/** A rendered object as plain JSON. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: Record<string, unknown> & { replicas?: number };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  [k: string]: unknown;
}

export { KUSTOMIZE_HASH_SUFFIX, withoutHashSuffix } from "./hash-suffix.ts";

/**
 * A Job's name without the part that follows what it runs: the model names Jobs <prefix>-<tag>-<hash>
 * (scripts/stack/shapes.ts nameByContent), in a fleet cluster with one more hash (scripts/stack/fleet.ts), so the
 * same Job at another version, content or cluster keeps its stem.
 */
export function jobStem(o: Pick<Manifest, "metadata" | "spec">, otherTags: string[] = []): string {
  const containers = (o.spec?.template as { spec?: { containers?: { image?: string }[] } } | undefined)?.spec?.containers ?? [];
  const own = /:([^/:@]+)(@|$)/.exec(containers[0]?.image ?? "")?.[1] ?? "";
  const head = o.metadata.name.replace(/(-[0-9a-f]{8}){1,2}$/, "");
  for (const tag of [own, ...otherTags]) {
    const slug = tag.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    if (slug && head.endsWith(`-${slug}`)) return head.slice(0, -slug.length - 1);
  }
  return head;
}

/** An id that survives a content-derived rename: Jobs by their stem, everything else by objectId. */
export const stableId = (o: Manifest): string => (o.kind === "Job" ? `${o.apiVersion}/Job/${jobStem(o)}` : objectId(o));

/** The API group of an apiVersion: "" for the core group ("v1"). */
export const groupOf = (apiVersion: string | undefined): string => {
  const v = apiVersion ?? "v1";
  return v.includes("/") ? v.split("/")[0]! : "";
};

/** group/kind/namespace/name: unique within a rendered environment. */
export const objectKey = (o: Pick<Manifest, "apiVersion" | "kind"> & { metadata?: { name?: string; namespace?: string } }): string =>
  `${groupOf(o.apiVersion) || "core"}/${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

/** apiVersion/kind/name: how the generator matches the model's objects with kustomize's (one namespace). */
export const objectId = (o: Pick<Manifest, "apiVersion" | "kind"> & { metadata?: { name?: string } }): string =>
  `${o.apiVersion}/${o.kind}/${o.metadata?.name ?? ""}`;

/** Kind/name, for messages. */
export const objectLabel = (o: { kind?: string; metadata?: { name?: string; namespace?: string } }): string =>
  `${o.kind ?? "?"} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name ?? "?"}`;

/** kustomize (or kubectl) output as objects; empty documents dropped. A parse error is an InputError naming `file`. */
export function parseManifests(text: string, file = "(rendered YAML)", opts: { yaml11?: boolean } = {}): Manifest[] {
  let docs: unknown[];
  try {
    docs = opts.yaml11 ? loadAllAsYaml11(text) : loadAll(text, undefined, { schema: CORE_SCHEMA, filename: file });
  } catch (err) {
    throw new InputError(`rendered YAML does not parse: ${(err as Error).message.split("\n")[0]}`, { file });
  }
  return docs.filter((o): o is Manifest => o !== null && typeof o === "object" && typeof (o as Manifest).kind === "string");
}

/**
 * Takes kustomize's hash suffix off generated ConfigMaps and Secrets and off every string that names them.
 * `names`: the generated names to strip (undefined: every ConfigMap/Secret whose name carries a suffix).
 * Returns the objects and, per stripped name, the hashed name it had.
 */
export function stripHashSuffixes(objects: Manifest[], names?: string[]): { objects: Manifest[]; hashed: Map<string, string> } {
  const hashed = new Map<string, string>();
  for (const o of objects) {
    if (o.kind !== "ConfigMap" && o.kind !== "Secret") continue;
    const short = withoutHashSuffix(o.metadata.name);
    if (short !== o.metadata.name && (!names || names.includes(short))) hashed.set(o.metadata.name, short);
  }
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return hashed.get(v) ?? v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return {
    objects: hashed.size ? objects.map((o) => walk(o) as Manifest) : objects,
    hashed: new Map([...hashed].map(([full, short]) => [short, full])),
  };
}
