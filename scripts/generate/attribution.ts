// Which settings produced a patch: each setting the environment changes from the defaults is put back to its
// default on its own, and the objects whose rendering then differs are the ones that setting changes. A patch's
// comment names the settings behind the objects it changes, so a reviewer maps every patch to settings.yaml.
// Only what the patch says counts: a setting whose effect the overlay's Components already render (Velero's
// annotations, say) is not behind a patch of the same object's other fields.
import type { Settings } from "../settings/schema.ts";
import { buildStackUnvalidated, validateStackObject } from "../stack/index.ts";
import type { StackObject } from "../stack/types.ts";
import { stableId, type Manifest } from "../lib/manifest.ts";
import { VERSION_LABEL } from "../stack/meta.ts";
const { isDeepStrictEqual } = process.getBuiltinModule("node:util");

type Json = unknown;
const isMap = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The settings (dotted paths) where `s` differs from `d`. A map whose default is empty (labels, annotations,
 * gateway.config …) is one setting; lists are one setting.
 */
export function changedSettings(s: Json, d: Json, at: string[] = []): string[][] {
  if (isDeepStrictEqual(s, d)) return [];
  if (isMap(s) && isMap(d) && Object.keys(d).length > 0) {
    return [...new Set([...Object.keys(s), ...Object.keys(d)])].flatMap((k) => changedSettings(s[k], d[k], [...at, k]));
  }
  return [at];
}

function withDefault(s: Settings, d: Settings, at: string[]): Settings {
  const copy = structuredClone(s) as Record<string, Json>;
  let node = copy;
  let def: Json = d;
  for (const k of at.slice(0, -1)) {
    node = node[k] as Record<string, Json>;
    def = (def as Record<string, Json>)[k];
  }
  const last = at[at.length - 1]!;
  const value = (def as Record<string, Json> | undefined)?.[last];
  if (value === undefined) delete node[last];
  else node[last] = structuredClone(value);
  return copy as Settings;
}

/** The namespace, the stack version and images are the overlay's `namespace:`, `labels:` and `images:`, not patches. */
function comparable(o: Manifest | undefined): unknown {
  if (!o) return o;
  const withoutImages = JSON.parse(JSON.stringify(o), (k, v) => (k === "image" && typeof v === "string" ? undefined : v)) as Manifest;
  return { ...withoutImages, metadata: { ...o.metadata, namespace: undefined, labels: { ...o.metadata.labels, [VERSION_LABEL]: undefined } } };
}

/** The leaf paths where two values differ (list items with a name keyed by it, as strategic merge keys them). */
function differingPaths(a: Json, b: Json, at = "", out = new Set<string>()): Set<string> {
  if (isDeepStrictEqual(a, b)) return out;
  const named = (v: Json) => Array.isArray(v) && v.every((x) => isMap(x) && typeof x.name === "string");
  if (named(a) && named(b)) {
    const byName = (v: Json) => new Map((v as Record<string, Json>[]).map((x) => [x.name as string, x]));
    const [x, y] = [byName(a), byName(b)];
    for (const k of new Set([...x.keys(), ...y.keys()])) differingPaths(x.get(k), y.get(k), `${at}/[${k}]`, out);
  } else if (isMap(a) && isMap(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differingPaths(a[k], b[k], `${at}/${k}`, out);
  } else out.add(at);
  return out;
}

/**
 * The stack (plain objects by stableId) for these settings, or undefined when they do not build. Content-keyed and
 * per process: buildStack depends on the settings alone, and generate plans the same environments (with one
 * setting put back) again and again (`generate --check` after `generate`, every overlay test). Entries are shared
 * read-only; the oldest is dropped beyond MAX_REBUILT.
 */
const MAX_REBUILT = 64;
/** An object's JSON text (equal texts are equal objects: the cheap comparison first) and the object, parsed when asked for. */
class Built {
  readonly json: string;
  #o: Manifest | undefined;
  constructor(json: string) {
    this.json = json;
  }
  get o(): Manifest {
    return (this.#o ??= JSON.parse(this.json) as Manifest);
  }
}
const rebuiltCache = new Map<string, Map<string, Built> | undefined>();
/**
 * The JSON texts of objects that passed their class's schema, by class (per process, bounded): most objects of a
 * variant are those of the one before it, and validating them again is most of a rebuild's time. A schema sees what
 * the JSON text says, except where the text says `null` (NaN, an undefined list item): such objects are always
 * validated. Every object a variant has is validated (here or before), as buildStack would: a variant that does not
 * build, for any reason, still attributes nothing.
 */
const MAX_VALID_TEXTS = 20_000;
const validTexts = new WeakMap<object, Set<string>>();
let validTextCount = 0;
function validateOnce(so: StackObject, json: string): void {
  const cls = so.object.constructor;
  const known = validTexts.get(cls);
  if (known?.has(json)) return;
  validateStackObject(so);
  if (json.includes("null")) return;
  if (validTextCount >= MAX_VALID_TEXTS) return;
  validTextCount++;
  if (known) known.add(json);
  else validTexts.set(cls, new Set([json]));
}
function rebuilt(settings: Settings): Map<string, Built> | undefined {
  const key = JSON.stringify(settings);
  if (rebuiltCache.has(key)) return rebuiltCache.get(key);
  let others: Map<string, Built> | undefined;
  try {
    const objects = buildStackUnvalidated({ settings });
    const texts = objects.map((so) => JSON.stringify(so.object)); // as plain() (emit.ts) makes it: undefined dropped, insertion order kept
    objects.forEach((so, i) => validateOnce(so, texts[i]!));
    others = new Map(
      objects.flatMap((so, i) => (so.localCredentials ? [] : [[stableId(so.object as unknown as Manifest), new Built(texts[i]!)] as const])),
    );
  } catch {
    others = undefined;
  }
  if (rebuiltCache.size >= MAX_REBUILT) rebuiltCache.delete(rebuiltCache.keys().next().value!);
  rebuiltCache.set(key, others);
  return others;
}

/**
 * A function naming, for a set of objects, the settings that change them ("backup.s3.bucket, backup.retentionDays").
 * `candidate`: the objects as the overlay's kustomize transformers and Components render them, before its patches.
 */
export function settingsBehind(s: Settings, d: Settings, envObjects: Manifest[], candidate: Manifest[] = []): (objects: Manifest[]) => string {
  const mine = new Map(envObjects.map((o) => [stableId(o), o]));
  const mineJson = new Map<string, string>();
  const jsonOfMine = (id: string) => {
    if (!mineJson.has(id)) mineJson.set(id, JSON.stringify(mine.get(id)));
    return mineJson.get(id)!;
  };
  const before = new Map(candidate.map((o) => [stableId(o), o]));
  const patched = new Map<string, Set<string>>();
  const patchedPaths = (id: string) => {
    if (!patched.has(id)) patched.set(id, differingPaths(comparable(before.get(id)), comparableMine(id)));
    return patched.get(id)!;
  };
  const mineComparable = new Map<string, unknown>();
  const comparableMine = (id: string) => {
    if (!mineComparable.has(id)) mineComparable.set(id, comparable(mine.get(id)));
    return mineComparable.get(id);
  };
  const causes = new Map<string, Set<string>>();
  /** Every setting that changes the object at all (what the patch says or not): the fallback below. */
  const changes = new Map<string, Set<string>>();
  for (const at of changedSettings(s, d)) {
    const others = rebuilt(withDefault(s, d, at));
    if (!others) continue; // that setting alone cannot go back to its default (another one needs it)
    const name = at.join(".");
    // A setting is behind an object it changes or removes; one that merely switches a whole feature on (the
    // object is gone with it back at its default) is said by the overlay's components instead.
    for (const id of new Set([...mine.keys(), ...others.keys()])) {
      const built = others.get(id);
      // Equal objects are equal after comparable(): most objects are, and have equal JSON texts; the deep comparison
      // after comparable() also finds objects equal whose keys come in another order.
      if (!built || (mine.has(id) && built.json === jsonOfMine(id))) continue;
      const otherComparable = comparable(built.o);
      if (isDeepStrictEqual(comparableMine(id), otherComparable)) continue;
      changes.set(id, (changes.get(id) ?? new Set()).add(name));
      if (before.has(id) && mine.has(id)) {
        const paths = patchedPaths(id);
        const overlaps = (p: string) => [...paths].some((q) => p === q || p.startsWith(`${q}/`) || q.startsWith(`${p}/`));
        if (![...differingPaths(otherComparable, comparableMine(id))].some(overlaps)) continue;
      }
      causes.set(id, (causes.get(id) ?? new Set()).add(name));
    }
  }
  const appOf = (o: Manifest) => o.metadata.labels?.["app.kubernetes.io/name"];
  const byApp = new Map<string, Set<string>>();
  for (const [id, names] of changes) {
    const app = appOf(mine.get(id) ?? ({ metadata: { name: "" } } as Manifest));
    if (app) byApp.set(app, new Set([...(byApp.get(app) ?? []), ...names]));
  }
  return (objects) => {
    let names = [...new Set(objects.flatMap((o) => [...(causes.get(stableId(o)) ?? [])]))].sort();
    // No single setting alone (several together remove it): the settings behind the same workload's other objects.
    if (!names.length) names = [...new Set(objects.flatMap((o) => [...(byApp.get(appOf(o) ?? "") ?? [])]))].sort();
    if (!names.length) return "default settings of the components this overlay uses";
    return names.length > 4 ? `${names.slice(0, 4).join(", ")} and ${names.length - 4} more settings` : names.join(", ");
  };
}
