// The strategic-merge patch that turns one object into another, as a kustomize expert writes it by hand: maps
// say only what changes (`key: null` removes), lists of named things (containers, env, volumes, volume mounts,
// ports) are merged by their key and never addressed by index, every other list is given whole.
//
// kustomize (kyaml) merges a keyed list by putting the patch's elements first, in the patch's order, then the
// elements the patch does not name, in their order. So a patch names the elements up to the last one whose
// content or position changes (unchanged ones by their key only) and deletes what goes.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObj(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

/** Merge keys of the keyed lists of built-in kinds (their patchMergeKey), by field name; the parent field decides for ports. */
function mergeKeysOf(path: string[]): string[] {
  const field = path[path.length - 1]!;
  const parent = path[path.length - 3];
  if (["containers", "initContainers", "env", "volumes", "imagePullSecrets"].includes(field)) return ["name"];
  if (field === "volumeMounts") return ["mountPath"];
  if (field === "ports" && (parent === "containers" || parent === "initContainers")) return ["containerPort"];
  if (field === "ports" && path.join(".") === "spec.ports") return ["port"]; // a Service's ports
  return [];
}

/** The key of a keyed list, when every element on both sides carries it and it is unique on each side. */
function mergeKeyOf(path: string[], a: Json[], b: Json[]): string | undefined {
  for (const key of keyedLists ? mergeKeysOf(path) : []) {
    const ok = (list: Json[]) => {
      if (!list.every((e) => isObj(e) && (typeof e[key] === "string" || typeof e[key] === "number"))) return false;
      return new Set(list.map((e) => (e as Obj)[key])).size === list.length;
    };
    if (ok(a) && ok(b)) return key;
  }
  return undefined;
}

/** The patch of a map: changed and new keys, `null` for removed ones; undefined when nothing changes. */
function mapPatch(have: Obj, want: Obj, path: string[]): Obj | undefined {
  const out: Obj = {};
  for (const [k, w] of Object.entries(want)) {
    if (!(k in have)) out[k] = w;
    else {
      const p = valuePatch([...path, k], have[k]!, w);
      if (p !== undefined) out[k] = p;
    }
  }
  for (const k of Object.keys(have)) if (!(k in want)) out[k] = null;
  return Object.keys(out).length ? out : undefined;
}

function valuePatch(path: string[], have: Json, want: Json): Json | undefined {
  if (same(have, want)) return undefined;
  if (isObj(have) && isObj(want)) return mapPatch(have, want, path);
  if (Array.isArray(have) && Array.isArray(want)) {
    const key = mergeKeyOf(path, have, want);
    if (key) return keyedListPatch(key, have as Obj[], want as Obj[], [...path, "[]"]);
  }
  return want;
}

function keyedListPatch(key: string, have: Obj[], want: Obj[], path: string[]): Json[] {
  const byKey = new Map(have.map((e) => [e[key], e]));
  const wanted = new Set(want.map((e) => e[key]));
  const deleted = have.filter((e) => !wanted.has(e[key]));
  // The shortest prefix of `want` after which the rest is exactly what kustomize keeps, in its order.
  let prefix = want.length;
  for (let k = 0; k <= want.length; k++) {
    const named = new Set(want.slice(0, k).map((e) => e[key]));
    const kept = have.filter((e) => wanted.has(e[key]) && !named.has(e[key]));
    const rest = want.slice(k);
    if (kept.length === rest.length && kept.every((e, i) => same(e, rest[i]))) {
      prefix = k;
      break;
    }
  }
  const named = want.slice(0, prefix).map((w) => {
    const h = byKey.get(w[key]);
    if (!h) return w;
    return { [key]: w[key]!, ...(mapPatch(h, w, path) ?? {}) };
  });
  return [...named, ...deleted.map((e) => ({ [key]: e[key]!, $patch: "delete" }))];
}

/** Kinds kustomize knows the schema of (built-in groups): only their lists are merged by key. */
const isBuiltin = (apiVersion: unknown) => typeof apiVersion !== "string" || !apiVersion.includes(".") || /\.k8s\.io\//.test(apiVersion);

/**
 * The strategic-merge patch from `have` to `want` (same object), or undefined when they are equal. Lists of custom
 * resources are given whole: kustomize knows no merge key for them.
 */
export function strategicMergePatch(have: Record<string, unknown>, want: Record<string, unknown>): Obj | undefined {
  keyedLists = isBuiltin(want.apiVersion);
  return mapPatch(have as Obj, want as Obj, []);
}
let keyedLists = true;
