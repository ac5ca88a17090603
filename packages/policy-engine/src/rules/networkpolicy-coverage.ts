import { asArray, asRecord, namespaceOf, NO_VIOLATIONS, podTemplateOf, stableStringify, WORKLOAD_KINDS } from "../helpers.ts";
import type { ObjectIndex } from "../object-index.ts";
import type { CheckRule, K8sObject } from "../types.ts";

interface Isolation {
  ingress: boolean;
  egress: boolean;
}

/**
 * Which workloads some NetworkPolicy isolates, per direction: the policies grouped by namespace and pod selector
 * first (the directions of a group OR-ed), then one pass over each group's selected workloads, so many policies
 * with one selector (a default-deny per copy of a stack) cost one pass, not one each.
 */
function isolationOf(index: ObjectIndex): Map<K8sObject, Isolation> {
  const groups = new Map<string, { selector: unknown; namespace: string; ingress: boolean; egress: boolean }>();
  for (const np of index.ofKind("NetworkPolicy")) {
    const spec = asRecord(np.spec);
    // Without policyTypes the API server sets Ingress, plus Egress when egress rules are present.
    const types = spec.policyTypes !== undefined ? asArray(spec.policyTypes) : ["Ingress", ...(spec.egress !== undefined ? ["Egress"] : [])];
    const key = `${namespaceOf(np)}\u0000${stableStringify(spec.podSelector)}`;
    const group = groups.get(key) ?? { selector: spec.podSelector, namespace: namespaceOf(np), ingress: false, egress: false };
    group.ingress ||= types.includes("Ingress");
    group.egress ||= types.includes("Egress");
    groups.set(key, group);
  }
  const out = new Map<K8sObject, Isolation>();
  for (const { selector, namespace, ingress, egress } of groups.values()) {
    for (const w of index.selectedBy(selector, namespace)) {
      const entry = out.get(w.object) ?? { ingress: false, egress: false };
      entry.ingress ||= ingress;
      entry.egress ||= egress;
      out.set(w.object, entry);
    }
  }
  return out;
}

export default {
  id: "networkpolicy-coverage",
  title: "Every workload's pods must be isolated by NetworkPolicies for ingress and egress",
  category: "network",
  severity: "warning",
  rationale:
    "Pods no NetworkPolicy selects accept traffic from anywhere in the cluster, and pods without an Egress policy can reach anything (exfiltration, lateral movement). Job and CronJob pods count too.",
  remediation: "Render NetworkPolicies whose podSelector matches the pods with policyTypes [Ingress, Egress] (a namespace default-deny plus allow rules) admitting only the real peers.",
  differences:
    "Polaris also fails a policy that lists a direction in policyTypes without rules for it; for us that is deny-all in that direction, the strictest isolation.",
  kinds: WORKLOAD_KINDS,
  check: (o, ctx) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const isolation = ctx.index.memo("networkpolicy-isolation", isolationOf).get(o);
    const missing = [...(isolation?.ingress ? [] : ["ingress"]), ...(isolation?.egress ? [] : ["egress"])];
    if (missing.length === 0) return NO_VIOLATIONS;
    return [{ message: isolation ? `no NetworkPolicy isolates ${missing.join(" or ")} of these pods (policyTypes)` : "no NetworkPolicy selects these pods", path: t.metadataPath }];
  },
} satisfies CheckRule;
