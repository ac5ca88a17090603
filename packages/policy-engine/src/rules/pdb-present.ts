import { namespaceOf, NO_VIOLATIONS, podTemplateOf, selectorMatches } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "pdb-present",
  title: "Replicated workloads need a PodDisruptionBudget",
  category: "availability",
  severity: "warning",
  rationale: "Without a PDB a node drain may evict every replica at once.",
  remediation: "Render a PodDisruptionBudget (maxUnavailable: 1) whose selector matches the pod template labels.",
  kinds: ["Deployment", "StatefulSet"],
  check: (o, ctx) => {
    const t = podTemplateOf(o);
    if (!t || ctx.index.minReplicas(o) < 2) return NO_VIOLATIONS;
    const covered = ctx.index.ofKind("PodDisruptionBudget", namespaceOf(o)).some((pdb) => selectorMatches((pdb.spec as { selector?: unknown } | undefined)?.selector, t.labels));
    return covered ? NO_VIOLATIONS : [{ message: "no PodDisruptionBudget selects these pods", path: t.metadataPath }];
  },
} satisfies CheckRule;
