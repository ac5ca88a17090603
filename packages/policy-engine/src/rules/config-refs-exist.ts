import { asArray, asRecord, asString, containersOf, nameOf, namespaceOf, NO_VIOLATIONS, podTemplateOf, WORKLOAD_KINDS, type Json, KUSTOMIZE_HASH_SUFFIX } from "../helpers.ts";
import { configMapEntries, secretEntries } from "../env.ts";
import type { CheckRule, K8sObject, RuleContext, Violation } from "../types.ts";

interface Reference {
  kind: "ConfigMap" | "Secret";
  name: string;
  key?: string;
  optional: boolean;
  path: string;
}

/** Every ConfigMap/Secret reference of a pod: envFrom, env valueFrom, volumes and projected sources. */
function references(spec: Json, specPath: string, containers: readonly { container: Json; path: string }[]): Reference[] {
  const out: Reference[] = [];
  const add = (kind: Reference["kind"], ref: Json, path: string, key?: string) => {
    const name = asString(ref.name);
    if (name) out.push({ kind, name, key, optional: ref.optional === true, path });
  };
  for (const { container, path } of containers) {
    asArray(container.envFrom).forEach((f, i) => {
      const from = asRecord(f);
      if (from.configMapRef) add("ConfigMap", asRecord(from.configMapRef), `${path}/envFrom/${i}`);
      if (from.secretRef) add("Secret", asRecord(from.secretRef), `${path}/envFrom/${i}`);
    });
    asArray(container.env).forEach((e, i) => {
      const vf = asRecord(asRecord(e).valueFrom);
      const p = `${path}/env/${i}/valueFrom`;
      if (vf.configMapKeyRef) add("ConfigMap", asRecord(vf.configMapKeyRef), p, asString(asRecord(vf.configMapKeyRef).key));
      if (vf.secretKeyRef) add("Secret", asRecord(vf.secretKeyRef), p, asString(asRecord(vf.secretKeyRef).key));
    });
  }
  const volumeRef = (source: Json, path: string) => {
    const cm = source.configMap ? asRecord(source.configMap) : undefined;
    const secret = source.secret ? asRecord(source.secret) : undefined;
    const ref = cm ?? (secret ? { ...secret, name: secret.secretName ?? secret.name } : undefined);
    if (!ref) return;
    const kind = cm ? "ConfigMap" : "Secret";
    const items = asArray(ref.items);
    if (items.length === 0) add(kind, ref, path);
    items.forEach((item, j) => add(kind, ref, `${path}/items/${j}`, asString(asRecord(item).key)));
  };
  asArray(spec.volumes).forEach((v, i) => {
    const vol = asRecord(v);
    volumeRef(vol, `${specPath}/volumes/${i}/${vol.configMap ? "configMap" : "secret"}`);
    asArray(asRecord(vol.projected).sources).forEach((s, j) => volumeRef(asRecord(s), `${specPath}/volumes/${i}/projected/sources/${j}`));
  });
  return out;
}

/** kustomize appends a 10-character hash to generated names and rewrites references only within one namespace. */

/** A rendered object that was evidently meant (same name elsewhere, or with a hash suffix the reference lacks). */
function nearMiss(ref: Reference, namespace: string, ctx: RuleContext): string | undefined {
  // Indexed once per run: the first object of the kind by name and by name without a hash suffix.
  const byName = ctx.index.memo(`config-refs-exist:${ref.kind}`, (index) => {
    const names = new Map<string, K8sObject>();
    for (const o of index.ofKind(ref.kind)) {
      if (!names.has(nameOf(o))) names.set(nameOf(o), o);
      const stripped = nameOf(o).replace(KUSTOMIZE_HASH_SUFFIX, "");
      if (!names.has(stripped)) names.set(stripped, o);
    }
    return names;
  });
  const candidate = byName.get(ref.name);
  if (!candidate) return undefined;
  const where = namespaceOf(candidate) ? `namespace "${namespaceOf(candidate)}"` : "no namespace";
  return `${ref.kind} "${ref.name}" is not in namespace "${namespace}"; the set renders "${nameOf(candidate)}" in ${where}`;
}

/** Published into every namespace by kube-controller-manager (the API server's CA bundle, key ca.crt). */
const CLUSTER_PUBLISHED_CONFIGMAPS = new Set(["kube-root-ca.crt"]);

function check(ref: Reference, namespace: string, ctx: RuleContext): Violation | undefined {
  const target = ctx.index.find(ref.kind, namespace, ref.name);
  if (!target) {
    if (ref.optional) return undefined;
    if (ref.kind === "ConfigMap" && CLUSTER_PUBLISHED_CONFIGMAPS.has(ref.name)) return undefined;
    const miss = nearMiss(ref, namespace, ctx);
    if (miss) return { message: miss, path: ref.path };
    // Secrets often come from outside the set (ExternalSecret, SealedSecret, created at deploy time).
    return ref.kind === "Secret" ? undefined : { message: `ConfigMap "${ref.name}" is not in the rendered set`, path: ref.path };
  }
  if (ref.key === undefined || ref.optional) return undefined;
  const keys = ref.kind === "ConfigMap" ? [...configMapEntries(target).map((e) => e.key), ...Object.keys(asRecord(target.binaryData))] : secretEntries(target).map((e) => e.key);
  return keys.includes(ref.key) ? undefined : { message: `${ref.kind} "${ref.name}" has no key ${ref.key}`, path: ref.path };
}

export default {
  id: "config-refs-exist",
  title: "Referenced ConfigMaps and keys must exist",
  category: "reliability",
  severity: "error",
  rationale: "A missing ConfigMap or key keeps the pod in CreateContainerConfigError; kustomize hash suffixes make stale names easy to miss.",
  remediation: "Render the ConfigMap (or Secret) with the workload, fix the name or key, or mark the reference optional.",
  kinds: WORKLOAD_KINDS,
  check: (o, ctx) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const ns = namespaceOf(o);
    return references(t.spec, t.specPath, containersOf(t)).flatMap((ref) => check(ref, ns, ctx) ?? []);
  },
} satisfies CheckRule;
