import { asArray, asNumber, asRecord, isEmptySelector, namespaceOf, NO_VIOLATIONS, podTemplateOf, selectorMatches, SCALABLE_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

/** A pod (anti-)affinity term spreads these pods only if it selects their own labels in their own namespace. */
function selectsOwnPods(term: Record<string, unknown>, labels: Record<string, unknown>, namespace: string): boolean {
  if (term.labelSelector === undefined || isEmptySelector(term.labelSelector) || !selectorMatches(term.labelSelector, labels)) return false;
  const namespaces = asArray(term.namespaces);
  if (namespaces.length > 0) return namespaces.includes(namespace);
  // No namespaces: the pod's own namespace, or those a namespaceSelector picks (from Namespace labels the
  // rendered set may not hold), which is taken to include it.
  return true;
}

export default {
  id: "pod-spreading",
  title: "Replicated workloads should spread across nodes",
  category: "availability",
  severity: "warning",
  rationale: "Replicas scheduled onto one node all go down with it; replicas only help when they are spread. An anti-affinity term that does not select the pod's own labels (and namespace) spreads nothing.",
  remediation: "Add topologySpreadConstraints (kubernetes.io/hostname, and zones on multi-zone clusters) or a podAntiAffinity whose labelSelector matches the pod labels.",
  kinds: SCALABLE_KINDS,
  parameters: {
    minReplicas: { default: 2, description: "applies from this many replicas (the HPA minimum when an HPA targets the workload)", peers: "kube-linter 2 (no-anti-affinity minReplicas), kube-score 2, Polaris any" },
    unsetReplicas: { default: 1, description: "replicas assumed when spec.replicas is unset (the API default is 1)", peers: "kube-score treats an unset field as replicated" },
  },
  check: (o, ctx) => {
    const t = podTemplateOf(o);
    if (!t || ctx.index.minReplicas(o, asNumber(ctx.params.unsetReplicas) ?? 1) < (asNumber(ctx.params.minReplicas) ?? 2)) return NO_VIOLATIONS;
    if (asArray(t.spec.topologySpreadConstraints).length > 0) return NO_VIOLATIONS;
    const anti = asRecord(asRecord(t.spec.affinity).podAntiAffinity);
    const terms = [
      ...asArray(anti.requiredDuringSchedulingIgnoredDuringExecution).map(asRecord),
      ...asArray(anti.preferredDuringSchedulingIgnoredDuringExecution).map((p) => asRecord(asRecord(p).podAffinityTerm)),
    ];
    if (terms.some((term) => selectsOwnPods(term, t.labels, namespaceOf(o)))) return NO_VIOLATIONS;
    return [
      terms.length > 0
        ? { message: "no podAntiAffinity term selects these pods' own labels and namespace", path: `${t.specPath}/affinity/podAntiAffinity` }
        : { message: "no topologySpreadConstraints or podAntiAffinity for a replicated workload", path: t.specPath },
    ];
  },
} satisfies CheckRule;
