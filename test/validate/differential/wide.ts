// The wide mutation corpus: more kinds of change than corpus.ts's first 1,200, each aimed at a place
// where two validators could disagree — a type change at every depth, extra fields, nulls, empty
// strings/objects/lists, int/float/string confusions, quantities, int-or-string fields, dates, enums,
// apiVersion/kind changes, List kinds, multi-document streams and odd YAML (flow style, CRLF, BOM,
// directives, tags, anchors, JSON). Deterministic (seeded), so the verdicts recorded from kubeconform
// in recorded.json hold on every machine.
import yaml from "js-yaml";
import { loadSources, prng, type Json, type Mutation } from "./corpus.ts";

type Obj = { [k: string]: Json };
interface Slot {
  parent: Json[] | Obj;
  key: string | number;
  depth: number;
  /** The key path, e.g. spec.template.spec.containers.0.image */
  path: string;
}

function slots(node: Json, depth = 1, at = "", out: Slot[] = []): Slot[] {
  if (Array.isArray(node)) node.forEach((v, i) => (out.push({ parent: node, key: i, depth, path: `${at}${i}` }), slots(v, depth + 1, `${at}${i}.`, out)));
  else if (node !== null && typeof node === "object")
    for (const [k, v] of Object.entries(node)) out.push({ parent: node, key: k, depth, path: `${at}${k}` }), slots(v, depth + 1, `${at}${k}.`, out);
  return out;
}

const get = (s: Slot): Json => (s.parent as Record<string | number, Json>)[s.key]!;
const set = (s: Slot, v: Json) => void ((s.parent as Record<string | number, Json>)[s.key] = v);
const isObj = (v: Json | undefined): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const dump = (v: Json, opts: yaml.DumpOptions = {}) => yaml.dump(v, { lineWidth: -1, noRefs: true, ...opts });

const OTHER_TYPES: Json[] = [42, -1, 0, 1.5, "x", "", "42", true, false, null, {}, [], { a: 1 }, ["a"], [1], [{}]];
const NUMBERS_AS_TEXT = ["1", "1.0", "1.5", "1e3", "1E3", "-1", "+1", "0", "-0", "0.0", "01", "0x10", "0o10", "1_0", '"1"', "'1.0'", "2147483648", "9007199254740993", "1e400", "-.5", "5.", "!!float 1", '!!int "3"', "!!str 3"];
const QUANTITIES: Json[] = ["100m", "1Gi", "1.5", 1.5, 1, 0, -1, "1e3", "+1", "-1", ".5", "1Ki", "1KiB", "abc", "0x10", "", null, true, "1 Gi", "1G", "1E", "1Ei", "5e-3", "1.5Gi", "0.1m", "1m1", "1e", "Gi", "1_000", 1e21, "∞"];
const QUANTITY_TEXT = ["1e3", "1.5", "1_0", "0x10", ".5", "+1", "1Gi", "100m", "!!float 2", "0o7", "1e-3", "2.", "'1'"];
const INT_OR_STRING: Json[] = ["25%", 25, "25", 2.5, true, null, "", "http", -1, 70000, "1.5", 0, "100%", "-1", ["x"], {}];
const DATES: Json[] = ["2020-01-01T00:00:00Z", "2020-01-01", "not a date", 5, null, "2020-13-01T00:00:00Z", "2020-01-01T00:00:00", "2020-01-01 00:00:00", "", true, "2020-01-01T00:00:00.123456789+01:00"];
const DATE_TEXT = ["2020-01-01", "2020-01-01T00:00:00Z", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-12-14", "!!timestamp 2001-12-14", "2020-1-1", "'2020-01-01'"];
const ENUM_KEYS = new Set(["imagePullPolicy", "restartPolicy", "protocol", "type", "dnsPolicy", "pathType", "sessionAffinity", "externalTrafficPolicy", "internalTrafficPolicy", "concurrencyPolicy", "operator", "policyTypes", "accessModes", "persistentVolumeReclaimPolicy", "volumeMode", "podManagementPolicy", "scheme", "unhealthyPodEvictionPolicy", "conversionStrategy", "decodingStrategy", "metadataPolicy", "creationPolicy", "deletionPolicy", "ipFamilyPolicy", "fsGroupChangePolicy", "seccompProfile", "whenUnsatisfiable"]);
const ENUM_VALUES = (v: Json): Json[] => [typeof v === "string" ? v.toLowerCase() : "x", typeof v === "string" ? v.toUpperCase() : "X", "Bogus", "", 1, null, typeof v === "string" ? ` ${v}` : "  ", true];
const API_VERSIONS: Json[] = ["v1", "apps/v1", "batch/v1", "networking.k8s.io/v1", "policy/v1", "autoscaling/v2", "autoscaling/v1", "rbac.authorization.k8s.io/v1", "argoproj.io/v1alpha1", "monitoring.coreos.com/v1", "external-secrets.io/v1", "external-secrets.io/v1beta1", "apps/v2", "v1beta1", "/v1", "apps/", "Apps/v1", " v1", "v1 ", "", null, 1, ["v1"], "core/v1", "extensions/v1beta1", "apps/v1/x"];
const KINDS: Json[] = ["Deployment", "Service", "ConfigMap", "Secret", "Pod", "StatefulSet", "Job", "CronJob", "Namespace", "Ingress", "NetworkPolicy", "ServiceAccount", "Role", "Widget", "deployment", "DEPLOYMENT", "Deployments", " Service", "Service ", "", null, 7, true, ["Service"], { a: 1 }, "List", "ConfigMapList", "Application"];
const LIST_KINDS = ["List", "List", "ConfigMapList", "DeploymentList", "ServiceList", "SecretList", "WidgetList", "list"];
const SEPARATORS = ["---\n", "--- # next\n", "\n---\n\n", "---\n...\n---\n", "---\n# only a comment\n---\n", "---\n---\n", "--- \n", "---\t\n", "...\n---\n", "----\n", "--- |\n  text\n---\n", "---\n{}\n---\n", "---\nnull\n---\n", "---\n[]\n---\n", "---\n- a\n---\n", "---\n'just a string'\n---\n"];
const EXTRA_KEYS = ["zzUnknown", "x", "Spec", "metadata2", "status", "$ref", "", " ", "a.b", "apiversion", "Kind", "123", "true", "null", "ünïcode", "x-y_z"];
const STRINGY: Json[] = ["", " ", "\t", "\n", "null", "~", "true", "0", "a\u0000b", "é", "😀", "x".repeat(300), "'", '"', "\\", "{{ .Values }}"];

export const WIDE_OBJECT_OPS = [
  "type-at-depth", "type-at-depth", "extra-field", "extra-field", "null-anywhere", "empty-anywhere", "number-confusion", "quantity", "int-or-string",
  "date", "enum", "gvk", "gvk", "list-kind", "list-kind", "string-oddity", "drop-required", "swap-siblings",
] as const;
export const WIDE_TEXT_OPS = ["multi-doc", "multi-doc", "odd-yaml", "odd-yaml", "odd-yaml", "number-text", "quantity-text", "date-text", "key-oddity"] as const;

/** `sources`: the objects to mutate (default: source-objects.yaml, rendered overlay objects). */
export function wideMutations(count: number, seed = 1917, sources: Json[] = loadSources()): Mutation[] {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const out: Mutation[] = [];
  for (let n = 0; n < count; n++) {
    const object = structuredClone(sources[Math.floor(random() * sources.length)]!);
    const useText = random() < 0.35;
    const op = useText ? pick(WIDE_TEXT_OPS) : pick(WIDE_OBJECT_OPS);
    const text = useText ? textOp(op, object, sources, random, pick) : dump(objectOp(op, object, random, pick));
    out.push({ id: `w${String(n).padStart(4, "0")}-${op}`, op, text });
  }
  return out;
}

/** A slot at a depth chosen first (so shallow and deep places are hit equally often), then a place at it. */
function atSomeDepth(all: Slot[], pick: <T>(xs: readonly T[]) => T): Slot | undefined {
  const depths = [...new Set(all.map((s) => s.depth))];
  if (depths.length === 0) return undefined;
  const depth = pick(depths);
  return pick(all.filter((s) => s.depth === depth));
}

function objectOp(op: string, object: Json, random: () => number, pick: <T>(xs: readonly T[]) => T): Json {
  const root = object as Obj;
  const all = slots(object);
  const body = all.filter((s) => s.depth > 1 || (s.key !== "apiVersion" && s.key !== "kind"));
  const leaves = body.filter((s) => { const v = get(s); return v === null || typeof v !== "object"; });
  const keyed = (test: (key: string, s: Slot) => boolean) => body.filter((s) => typeof s.key === "string" && test(s.key, s));
  switch (op) {
    case "type-at-depth": {
      const s = atSomeDepth(body, pick);
      if (s) set(s, pick(OTHER_TYPES.filter((t) => JSON.stringify(t) !== JSON.stringify(get(s)))));
      return object;
    }
    case "extra-field": {
      const targets = [root, ...body.map(get).filter(isObj)];
      const depthOf = new Map<Json, number>([[root, 0], ...body.filter((s) => isObj(get(s))).map((s) => [get(s), s.depth] as [Json, number])]);
      const depths = [...new Set(depthOf.values())];
      const depth = pick(depths);
      const target = pick(targets.filter((t) => depthOf.get(t) === depth));
      target[pick(EXTRA_KEYS)] = pick<Json>([1, "a", true, null, {}, [], { b: 2 }]);
      return object;
    }
    case "null-anywhere": {
      const s = atSomeDepth(body, pick);
      if (s) set(s, null);
      return object;
    }
    case "empty-anywhere": {
      const s = atSomeDepth(body, pick);
      if (s) set(s, pick<Json>(["", {}, [], [null], [""], [{}], " "]));
      return object;
    }
    case "number-confusion": {
      const numeric = leaves.filter((s) => typeof get(s) === "number" || (typeof get(s) === "string" && /^-?\d+(\.\d+)?$/.test(get(s) as string)));
      const s = numeric.length ? pick(numeric) : atSomeDepth(leaves, pick);
      if (s) {
        const v = get(s);
        set(s, pick<Json>([String(v), Number(v) + 0.5, Number(v) * 1e10, -Number(v), `${v}.0`, `${v}e0`, Number.isNaN(Number(v)) ? 1 : Number(v), 2 ** 63, -(2 ** 63), 1e-7, 0.1 + 0.2, 2 ** 31 - 1, 2 ** 31, 65535, 65536]));
      }
      return object;
    }
    case "quantity": {
      const quantities = keyed((_, s) => /(?:^|\.)(limits|requests|capacity|hard)\.[^.]+$|storage$|sizeLimit$|ephemeral-storage$/.test(s.path) && !isObj(get(s)));
      if (quantities.length) set(pick(quantities), pick(QUANTITIES));
      else {
        const containers = keyed((k) => k === "containers").map(get).filter(Array.isArray).flat().filter(isObj);
        if (containers.length) pick(containers).resources = { [pick(["limits", "requests"])]: { [pick(["cpu", "memory", "ephemeral-storage", "nvidia.com/gpu"])]: pick(QUANTITIES) } };
        else if (isObj(root.spec)) root.spec.resources = { requests: { storage: pick(QUANTITIES) } };
      }
      return object;
    }
    case "int-or-string": {
      const places = keyed((k) => /^(port|targetPort|maxSurge|maxUnavailable|minAvailable|containerPort|number|servicePort)$/.test(k));
      if (places.length) set(pick(places), pick(INT_OR_STRING));
      else if (isObj(root.metadata)) (root.metadata as Obj).generation = pick(INT_OR_STRING);
      return object;
    }
    case "date": {
      const meta = isObj(root.metadata) ? root.metadata : (root.metadata = {});
      const places = keyed((k) => /Timestamp$|Time$|^lastTransitionTime$|^startTime$/.test(k));
      if (places.length && random() < 0.5) set(pick(places), pick(DATES));
      else meta[pick(["creationTimestamp", "deletionTimestamp"])] = pick(DATES);
      return object;
    }
    case "enum": {
      const places = body.filter((s) => (typeof s.key === "string" && ENUM_KEYS.has(s.key)) || (typeof s.key === "number" && /(policyTypes|accessModes)\.\d+$/.test(s.path)));
      const strings = places.filter((s) => !isObj(get(s)) && !Array.isArray(get(s)));
      if (strings.length) { const s = pick(strings); set(s, pick(ENUM_VALUES(get(s)))); }
      return object;
    }
    case "gvk": {
      const r = random();
      if (r < 0.35) root.apiVersion = pick(API_VERSIONS);
      else if (r < 0.7) root.kind = pick(KINDS);
      else if (r < 0.8) delete root[pick(["apiVersion", "kind"])];
      else { root.apiVersion = pick(API_VERSIONS); root.kind = pick(KINDS); }
      return object;
    }
    case "list-kind": {
      const other = structuredClone(object);
      const items: Json = pick<Json>([[object], [object, other], [], null, {}, "x", [object, null], [object, 5], [object, { kind: "ConfigMap" }], [object, { apiVersion: "v1", kind: "List", items: [other] }], [object, { apiVersion: "v1" }], [{ ...root, kind: 1 }], [{ ...root, Kind: root.kind ?? null }]]);
      const list: Obj = { apiVersion: pick<Json>(["v1", "v1", "apps/v1", "", null]), kind: pick(LIST_KINDS), items };
      if (random() < 0.2) list.metadata = pick<Json>([{ resourceVersion: "" }, { name: "l" }, null]);
      if (random() < 0.1) delete list.items;
      return list;
    }
    case "string-oddity": {
      const strings = leaves.filter((s) => typeof get(s) === "string");
      const s = strings.length ? pick(strings) : atSomeDepth(leaves, pick);
      if (s) set(s, pick(STRINGY));
      return object;
    }
    case "drop-required": {
      const s = atSomeDepth(keyed((k) => ["name", "image", "containers", "selector", "template", "ports", "port", "key", "spec", "metadata", "items", "rules", "endpoints", "data", "remoteRef", "secretStoreRef", "scaleTargetRef", "jobTemplate", "schedule"].includes(k)), pick);
      if (s) delete (s.parent as Obj)[s.key as string];
      return object;
    }
    case "swap-siblings": {
      const objs = body.map(get).filter(isObj).filter((o) => Object.keys(o).length >= 2);
      if (objs.length) {
        const o = pick(objs);
        const [a, b] = [pick(Object.keys(o)), pick(Object.keys(o))];
        [o[a], o[b]] = [o[b]!, o[a]!];
      }
      return object;
    }
    default:
      return object;
  }
}

function textOp(op: string, object: Json, sources: Json[], random: () => number, pick: <T>(xs: readonly T[]) => T): string {
  const text = dump(object);
  const lines = text.split("\n");
  const valueLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[A-Za-z0-9_./-]+: \S/.test(l) && !/^(apiVersion|kind):/.test(l));
  const replaceValue = (scalars: readonly string[], only?: RegExp) => {
    const candidates = valueLines.filter(([l]) => !only || only.test(l));
    if (!candidates.length) return text;
    const [line, i] = pick(candidates);
    const m = /^(\s*(?:- )?[A-Za-z0-9_./-]+: )/.exec(line)!;
    lines[i] = m[1] + pick(scalars);
    return lines.join("\n");
  };
  switch (op) {
    case "multi-doc": {
      const docs = [text];
      const more = 1 + Math.floor(random() * 3);
      for (let i = 0; i < more; i++) docs.push(dump(structuredClone(pick(sources))));
      let stream = random() < 0.3 ? pick(["---\n", "--- # first\n", "\n", "# header\n", "%YAML 1.1\n---\n"]) : "";
      docs.forEach((d, i) => (stream += (i > 0 ? pick(SEPARATORS) : "") + (random() < 0.15 ? d.replace(/^(\w+):/m, "$1 :") : d)));
      if (random() < 0.3) stream += pick(["---\n", "...\n", "---\n\n", "\n\n\n", "---\n# trailing comment\n"]);
      return stream;
    }
    case "odd-yaml": {
      switch (Math.floor(random() * 12)) {
        case 0: return dump(object, { flowLevel: Math.floor(random() * 4) });
        case 1: return text.replace(/\n/g, "\r\n");
        case 2: return "\ufeff" + text;
        case 3: return text.replace(/\n/g, "   \n");
        case 4: return pick(["%YAML 1.1\n---\n", "%YAML 1.2\n---\n", "%TAG ! tag:example.com,2000:\n---\n", "--- !!map\n", "---\n"]) + text;
        case 5: return JSON.stringify(object, null, pick([0, 2]));
        case 6: return dump(object, { forceQuotes: true, quotingType: pick(["'", '"'] as const) });
        case 7: return lines.map((l) => (l && random() < 0.3 ? `${l} # c` : l)).join("\n");
        case 8: return text + pick(["...\n", "...\n# after\n", "... # end\n"]);
        case 9: return lines.map((l) => l.replace(/^(\s*(?:- )?)([A-Za-z][A-Za-z0-9]*):/, (_m, pre: string, key: string) => (random() < 0.3 ? `${pre}"${key}":` : `${pre}${key}:`))).join("\n");
        case 10: return dump(object, { sortKeys: true, indent: pick([1, 4, 8]) });
        default: {
          // a repeated sub-object as an anchor and aliases
          const meta = lines.findIndex((l) => l.startsWith("metadata:"));
          if (meta < 0) return text;
          lines[meta] = "metadata: &m";
          return lines.join("\n") + pick(["\nstatus: *m\n", "\nzz: *m\n", "\nspec: *m\n"]);
        }
      }
    }
    case "number-text":
      return replaceValue(NUMBERS_AS_TEXT);
    case "quantity-text":
      return replaceValue(QUANTITY_TEXT, /(cpu|memory|storage|ephemeral-storage|replicas|port|Port|Seconds|number): /);
    case "date-text": {
      const meta = lines.findIndex((l) => l.startsWith("metadata:"));
      if (meta < 0) return text;
      lines.splice(meta + 1, 0, `  creationTimestamp: ${pick(DATE_TEXT)}`);
      return lines.join("\n");
    }
    case "key-oddity": {
      const meta = lines.findIndex((l) => l.startsWith("metadata:"));
      if (meta < 0) return text;
      lines.splice(meta + 1, 0, pick(["  1.5: x", "  0x10: x", "  yes: x", "  ? |\n    block\n  : x", "  \"\": x", "  '': x", "  !!str 1: x", "  ~: x", "  2001-12-14: x", "  .inf: x", "  - x", "  [a]: x", "  {a: 1}: x", "  name: a\n  name: b", "  labels: {a: 1, a: 2}", "  \"name\": x"]));
      return lines.join("\n");
    }
    default:
      return text;
  }
}
