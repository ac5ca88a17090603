// Which settings produced a patch: each setting the environment changes from the defaults is put back to its
// default on its own, and the objects whose rendering then differs are the ones that setting changes. A patch's
// comment names the settings behind the objects it changes, so a reviewer maps every patch to settings.yaml.
import { isDeepStrictEqual } from "node:util";
import type { Settings } from "../settings/schema.ts";
import { buildStack } from "../stack/index.ts";
import { stableId, type Manifest } from "../lib/manifest.ts";
import { plain } from "./emit.ts";
import { VERSION_LABEL } from "../stack/meta.ts";

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

/** A function naming, for a set of objects, the settings that change them ("backup.s3.bucket, backup.retentionDays"). */
export function settingsBehind(s: Settings, d: Settings, envObjects: Manifest[]): (objects: Manifest[]) => string {
  const mine = new Map(envObjects.map((o) => [stableId(o), o]));
  const causes = new Map<string, Set<string>>();
  for (const at of changedSettings(s, d)) {
    let others: Map<string, Manifest>;
    try {
      const objects = buildStack({ settings: withDefault(s, d, at) }).filter((o) => !o.localCredentials);
      others = new Map(objects.map((so) => plain(so.object) as Manifest).map((o) => [stableId(o), o]));
    } catch {
      continue; // that setting alone cannot go back to its default (another one needs it)
    }
    const name = at.join(".");
    // A setting is behind an object it changes or removes; one that merely switches a whole feature on (the
    // object is gone with it back at its default) is said by the overlay's components instead.
    for (const id of new Set([...mine.keys(), ...others.keys()])) {
      if (!others.has(id) || isDeepStrictEqual(comparable(mine.get(id)), comparable(others.get(id)))) continue;
      causes.set(id, (causes.get(id) ?? new Set()).add(name));
    }
  }
  const appOf = (o: Manifest) => o.metadata.labels?.["app.kubernetes.io/name"];
  const byApp = new Map<string, Set<string>>();
  for (const [id, names] of causes) {
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
