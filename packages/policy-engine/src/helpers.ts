// Shared helpers for rules: safe field access, pod-spec extraction for every workload kind,
// container iteration, label-selector matching, quantity parsing. Every helper tolerates
// missing or mistyped fields: a rule must never crash on a hand-written manifest.
import type { K8sObject, Violation } from "./types.ts";

export type Json = Record<string, unknown>;

/**
 * kustomize's generator hash suffix (a dash and 10 characters of its vowel-free alphabet). The policy engine is
 * generic and imports nothing from the project, so it keeps this one copy of the pattern scripts/lib/manifest.ts owns.
 */
export const KUSTOMIZE_HASH_SUFFIX = /-[2456789bcdfghkmt]{10}$/;

export const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const asRecord = (v: unknown): Json => (isRecord(v) ? v : {});
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const asNumber = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export const NO_VIOLATIONS: Violation[] = [];

/** Escapes one JSON-pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => "/" + pointerSegment(s)).join("");
}

export const kindOf = (o: K8sObject): string => asString(o.kind) ?? "";
export const nameOf = (o: K8sObject): string => asString(o.metadata?.name) ?? "";
/** The namespace as written; "" when absent (objects without a namespace are compared with each other). */
export const namespaceOf = (o: K8sObject): string => asString(o.metadata?.namespace) ?? "";
export const labelsOf = (o: K8sObject): Record<string, unknown> => asRecord(o.metadata?.labels);
export const annotationsOf = (o: K8sObject): Record<string, unknown> => asRecord(o.metadata?.annotations);

// ── workloads ─────────────────────────────────────────────────────────────────────────────

export const WORKLOAD_KINDS = [
  "Pod",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "ReplicationController",
  "Job",
  "CronJob",
  "DeploymentConfig",
] as const;
/** Workloads that run until stopped (probes, HA and network rules apply to them). */
export const LONG_RUNNING_KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "DeploymentConfig"] as const;
/** Controllers whose replica count is meaningful for availability. */
export const SCALABLE_KINDS = ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "DeploymentConfig"] as const;

export interface PodTemplate {
  spec: Json;
  /** JSON pointer of the pod spec inside the object. */
  specPath: string;
  /** Labels of the pods this object creates. */
  labels: Record<string, unknown>;
  /** JSON pointer of the pod metadata (for label findings). */
  metadataPath: string;
}

const podTemplateCache = new WeakMap<K8sObject, PodTemplate | null>();

/** The pod spec of any workload kind, with its JSON-pointer prefix; undefined for non-workloads. */
export function podTemplateOf(o: K8sObject): PodTemplate | undefined {
  const cached = podTemplateCache.get(o);
  if (cached !== undefined) return cached ?? undefined;
  const result = computePodTemplate(o);
  podTemplateCache.set(o, result ?? null);
  return result;
}

function computePodTemplate(o: K8sObject): PodTemplate | undefined {
  const spec = asRecord(o.spec);
  switch (kindOf(o)) {
    case "Pod":
      return { spec, specPath: "/spec", labels: labelsOf(o), metadataPath: "/metadata" };
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "ReplicationController":
    case "DeploymentConfig": // OpenShift's apps.openshift.io/v1 Deployment
    case "Job": {
      const template = asRecord(spec.template);
      return {
        spec: asRecord(template.spec),
        specPath: "/spec/template/spec",
        labels: asRecord(asRecord(template.metadata).labels),
        metadataPath: "/spec/template/metadata",
      };
    }
    case "CronJob": {
      const template = asRecord(asRecord(asRecord(spec.jobTemplate).spec).template);
      return {
        spec: asRecord(template.spec),
        specPath: "/spec/jobTemplate/spec/template/spec",
        labels: asRecord(asRecord(template.metadata).labels),
        metadataPath: "/spec/jobTemplate/spec/template/metadata",
      };
    }
    default:
      return undefined;
  }
}

export interface ContainerRef {
  container: Json;
  /** JSON pointer of the container. */
  path: string;
  name: string;
  init: boolean;
}

const containerCache = new WeakMap<PodTemplate, { all?: ContainerRef[]; main?: ContainerRef[] }>();

/** Containers then initContainers (and ephemeral ones) of a pod spec, each with its JSON pointer (computed once per template). */
export function containersOf(template: PodTemplate, { includeInit = true } = {}): readonly ContainerRef[] {
  let entry = containerCache.get(template);
  if (!entry) containerCache.set(template, (entry = {}));
  const key = includeInit ? "all" : "main";
  return (entry[key] ??= listContainers(template, includeInit));
}

function listContainers(template: PodTemplate, includeInit: boolean): ContainerRef[] {
  const out: ContainerRef[] = [];
  const lists = includeInit ? (["containers", "initContainers", "ephemeralContainers"] as const) : (["containers"] as const);
  for (const list of lists) {
    asArray(template.spec[list]).forEach((c, i) => {
      if (!isRecord(c)) return;
      out.push({ container: c, path: `${template.specPath}/${list}/${i}`, name: asString(c.name) ?? `#${i}`, init: list !== "containers" });
    });
  }
  return out;
}

/** Runs `check` over every container of a workload and collects its violations. */
export function eachContainer(
  o: K8sObject,
  check: (c: ContainerRef, template: PodTemplate) => Violation | Violation[] | undefined,
  options?: { includeInit?: boolean },
): Violation[] {
  const template = podTemplateOf(o);
  if (!template) return NO_VIOLATIONS;
  const out: Violation[] = [];
  for (const ref of containersOf(template, options)) {
    const v = check(ref, template);
    if (Array.isArray(v)) for (const x of v) out.push(x);
    else if (v) out.push(v);
  }
  return out;
}

/** Runs a check over every pod volume of a workload; `path` is the volume's JSON pointer. */
export function eachVolume(
  o: K8sObject,
  check: (volume: Record<string, unknown>, name: string, path: string) => Violation | Violation[] | undefined,
): Violation[] {
  const template = podTemplateOf(o);
  if (!template) return NO_VIOLATIONS;
  const out: Violation[] = [];
  asArray(template.spec.volumes).forEach((v, i) => {
    if (!isRecord(v)) return;
    const found = check(v, asString(v.name) ?? String(i), `${template.specPath}/volumes/${i}`);
    if (Array.isArray(found)) for (const x of found) out.push(x);
    else if (found) out.push(found);
  });
  return out;
}

/** A container's security-context field, falling back to the pod-level value (the kubelet's rule). */
export function effectiveSecurity(ref: ContainerRef, template: PodTemplate, field: string): { value: unknown; path: string } {
  const own = asRecord(ref.container.securityContext);
  if (own[field] !== undefined) return { value: own[field], path: `${ref.path}/securityContext/${field}` };
  const pod = asRecord(template.spec.securityContext);
  if (pod[field] !== undefined) return { value: pod[field], path: `${template.specPath}/securityContext/${field}` };
  return { value: undefined, path: `${ref.path}/securityContext` };
}

/** Container ports as declared: number and optional name. */
export function containerPorts(c: Json): { port: number; name?: string; protocol: string }[] {
  const out: { port: number; name?: string; protocol: string }[] = [];
  for (const p of asArray(c.ports)) {
    const port = asNumber(asRecord(p).containerPort);
    if (port === undefined) continue;
    out.push({ port, name: asString(asRecord(p).name), protocol: asString(asRecord(p).protocol) ?? "TCP" });
  }
  return out;
}

/** The image reference split into its parts; a digest reference has `digest`, a tag reference `tag`. */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const ref = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = ref.lastIndexOf("/");
  const colon = ref.indexOf(":", lastSlash + 1);
  return colon >= 0
    ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1), digest }
    : { repository: ref, digest };
}

// ── label selectors ───────────────────────────────────────────────────────────────────────

/** Does a LabelSelector (matchLabels + matchExpressions) select these labels? An empty selector selects everything. */
export function selectorMatches(selector: unknown, labels: Record<string, unknown>): boolean {
  const sel = asRecord(selector);
  for (const [k, v] of Object.entries(asRecord(sel.matchLabels))) {
    if (labels[k] !== v) return false;
  }
  for (const raw of asArray(sel.matchExpressions)) {
    const expr = asRecord(raw);
    const key = asString(expr.key) ?? "";
    const values = asArray(expr.values);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (expr.operator) {
      case "In":
        if (!has || !values.includes(labels[key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A Service-style selector: a plain map that must be a subset of the labels; an empty map selects nothing. */
export function mapSelectorMatches(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

export function isEmptySelector(selector: unknown): boolean {
  const sel = asRecord(selector);
  return Object.keys(asRecord(sel.matchLabels)).length === 0 && asArray(sel.matchExpressions).length === 0;
}

// ── quantities ────────────────────────────────────────────────────────────────────────────

const SUFFIX: Record<string, number> = {
  "": 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Parses a Kubernetes quantity ("10Gi", "500m", "1e3", 2) into a number; undefined when malformed. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
  if (typeof q !== "string") return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)$/.exec(q.trim());
  if (!m) return undefined;
  return Number(m[1]) * (SUFFIX[m[2] ?? ""] ?? 1);
}

/** Resolves an int-or-percent (PDB minAvailable/maxUnavailable) against a replica count, rounding up like the API does. */
export function intOrPercent(value: unknown, total: number): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const m = /^(\d+)%$/.exec(value.trim());
    if (m) return Math.ceil((Number(m[1]) / 100) * total);
    if (/^\d+$/.test(value.trim())) return Number(value);
  }
  return undefined;
}

/** A truthy string in env/ConfigMap terms ("true", "1", "yes"). */
export function isTrueString(v: string | undefined): boolean {
  return v !== undefined && /^(true|1|yes|on)$/i.test(v.trim());
}

/** The default exemption prefix: `kube-policy.dev/ignore-<rule-id>: "<reason>"` on an object exempts it from a rule. */
export const DEFAULT_EXEMPTION_PREFIX = "kube-policy.dev/ignore-";

/** Which of `names` a container's resources.<section> leaves unset. */
export function missingResources(c: Json, section: "requests" | "limits", names: readonly string[]): string[] {
  const values = asRecord(asRecord(c.resources)[section]);
  return names.filter((n) => values[n] === undefined || values[n] === null || values[n] === "");
}

/** JSON with sorted keys, for comparing two structures regardless of key order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(",")}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
