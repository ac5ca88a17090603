// Resolves a container's environment the way the kubelet does: envFrom sources first (in order, later
// ones win), then `env` entries, each `$(VAR)` expanded from what is defined before it. Values held in
// ConfigMaps/Secrets are resolved when those objects are in the rendered set.
import { asArray, asRecord, asString, isRecord, type Json } from "./helpers.ts";
import type { ObjectIndex } from "./object-index.ts";

export interface EnvVar {
  /** The value as written (`$(VAR)` references intact); undefined when it cannot be known. */
  raw?: string;
  /** The value after `$(VAR)` expansion; undefined when it cannot be known. */
  value?: string;
  /** `$(VAR)` references to names not defined before this one (the kubelet leaves them verbatim). */
  undefinedRefs: string[];
  source: "env" | "configMap" | "secret" | "valueFrom";
  path: string;
}

export interface ResolvedEnv {
  vars: Map<string, EnvVar>;
  /** Some envFrom source is not in the rendered set, so a missing name may still be defined at runtime. */
  incomplete: boolean;
}

export interface Entry {
  key: string;
  value: string;
  path: string;
}

// Several rules read the same ConfigMaps/Secrets and containers: decode and resolve each once.
const entryCache = new WeakMap<Json, Entry[]>();
const envCache = new WeakMap<Json, { index: ObjectIndex; env: ResolvedEnv }>();

function cached(o: Json, compute: (o: Json) => Entry[]): Entry[] {
  let entries = entryCache.get(o);
  if (!entries) {
    entries = compute(o);
    entryCache.set(o, entries);
  }
  return entries;
}

/** Key/value pairs of a Secret (base64 `data` decoded, `stringData` as is), each with its JSON pointer. */
export const secretEntries = (secret: Json): Entry[] => cached(secret, decodeSecret);

function decodeSecret(secret: Json): Entry[] {
  const out: Entry[] = [];
  for (const [key, v] of Object.entries(asRecord(secret.data))) {
    if (typeof v === "string") out.push({ key, value: Buffer.from(v, "base64").toString("utf8"), path: `/data/${key}` });
  }
  for (const [key, v] of Object.entries(asRecord(secret.stringData))) {
    if (typeof v === "string") out.push({ key, value: v, path: `/stringData/${key}` });
  }
  return out;
}

/** Key/value pairs of a ConfigMap's `data`. */
export const configMapEntries = (cm: Json): Entry[] => cached(cm, readConfigMap);

function readConfigMap(cm: Json): Entry[] {
  return Object.entries(asRecord(cm.data)).flatMap(([key, v]) =>
    typeof v === "string" ? [{ key, value: v, path: `/data/${key}` }] : typeof v === "number" || typeof v === "boolean" ? [{ key, value: String(v), path: `/data/${key}` }] : [],
  );
}

const REF = /\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g;

/** Expands `$(VAR)` like the kubelet: defined names are substituted, `$$` escapes, undefined stay verbatim. */
export function expand(raw: string, defined: Map<string, EnvVar>): { value?: string; undefinedRefs: string[] } {
  const undefinedRefs: string[] = [];
  let unknown = false;
  const value = raw.replace(REF, (match, name: string | undefined) => {
    if (name === undefined) return "$";
    const v = defined.get(name);
    if (!v) {
      undefinedRefs.push(name);
      return match;
    }
    if (v.value === undefined) unknown = true;
    return v.value ?? match;
  });
  return { value: unknown ? undefined : value, undefinedRefs };
}

export function resolveEnv(container: Json, containerPath: string, namespace: string, index: ObjectIndex): ResolvedEnv {
  const hit = envCache.get(container);
  if (hit?.index === index) return hit.env;
  const env = computeEnv(container, containerPath, namespace, index);
  envCache.set(container, { index, env });
  return env;
}

function computeEnv(container: Json, containerPath: string, namespace: string, index: ObjectIndex): ResolvedEnv {
  const vars = new Map<string, EnvVar>();
  let incomplete = false;
  asArray(container.envFrom).forEach((raw, i) => {
    const from = asRecord(raw);
    const prefix = asString(from.prefix) ?? "";
    const path = `${containerPath}/envFrom/${i}`;
    const cmName = asString(asRecord(from.configMapRef).name);
    const secretName = asString(asRecord(from.secretRef).name);
    const source = cmName !== undefined ? index.find("ConfigMap", namespace, cmName) : secretName !== undefined ? index.find("Secret", namespace, secretName) : undefined;
    if (!source) {
      incomplete = true;
      return;
    }
    const entries = cmName !== undefined ? configMapEntries(source) : secretEntries(source);
    for (const e of entries) {
      vars.set(prefix + e.key, { raw: e.value, value: e.value, undefinedRefs: [], source: cmName !== undefined ? "configMap" : "secret", path });
    }
  });
  asArray(container.env).forEach((raw, i) => {
    if (!isRecord(raw)) return;
    const name = asString(raw.name);
    if (!name) return;
    const path = `${containerPath}/env/${i}`;
    if (typeof raw.value === "string" || raw.valueFrom === undefined) {
      const literal = asString(raw.value) ?? "";
      vars.set(name, { raw: literal, ...expand(literal, vars), source: "env", path });
      return;
    }
    vars.set(name, { ...valueFromRef(asRecord(raw.valueFrom), namespace, index), undefinedRefs: [], source: "valueFrom", path: `${path}/valueFrom` });
  });
  return { vars, incomplete };
}

function valueFromRef(valueFrom: Json, namespace: string, index: ObjectIndex): { raw?: string; value?: string } {
  const cmRef = asRecord(valueFrom.configMapKeyRef);
  const secretRef = asRecord(valueFrom.secretKeyRef);
  const [kind, ref] = valueFrom.configMapKeyRef ? ["ConfigMap", cmRef] : valueFrom.secretKeyRef ? ["Secret", secretRef] : [undefined, {}];
  if (!kind) return {};
  const obj = index.find(kind, namespace, asString(ref.name) ?? "");
  if (!obj) return {};
  const entries = kind === "ConfigMap" ? configMapEntries(obj) : secretEntries(obj);
  const value = entries.find((e) => e.key === ref.key)?.value;
  return { raw: value, value };
}
