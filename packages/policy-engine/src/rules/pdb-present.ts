import { asNumber, namespaceOf, NO_VIOLATIONS, podTemplateOf, selectorMatches } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "pdb-present",
  title: "Replicated workloads need a PodDisruptionBudget",
  category: "availability",
  severity: "warning",
  rationale: "Without a PDB a node drain may evict every replica at once.",
  remediation: "Render a PodDisruptionBudget (maxUnavailable: 1) whose selector matches the pod template labels.",
  kinds: ["Deployment", "StatefulSet", "DeploymentConfig"],
  differences: "Applies from 2 replicas: a budget for a singleton either blocks every drain or allows what no budget does.",
  parameters: {
    minReplicas: { default: 2, description: "applies from this many replicas (the HPA minimum when an HPA targets the workload)", peers: "Polaris 1 (every workload), kube-score 2" },
    unsetReplicas: { default: 1, description: "replicas assumed when spec.replicas is unset (the API default is 1)", peers: "kube-score treats an unset field as replicated" },
  },
  check: (o, ctx) => {
    const t = podTemplateOf(o);
    if (!t || ctx.index.minReplicas(o, asNumber(ctx.params.unsetReplicas) ?? 1) < (asNumber(ctx.params.minReplicas) ?? 2)) return NO_VIOLATIONS;
    const covered = ctx.index.ofKind("PodDisruptionBudget", namespaceOf(o)).some((pdb) => selectorMatches((pdb.spec as { selector?: unknown } | undefined)?.selector, t.labels));
    return covered ? NO_VIOLATIONS : [{ message: "no PodDisruptionBudget selects these pods", path: t.metadataPath }];
  },
} satisfies CheckRule;
