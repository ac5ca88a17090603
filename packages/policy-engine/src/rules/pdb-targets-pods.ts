import { asRecord, namespaceOf, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "pdb-targets-pods",
  title: "A PodDisruptionBudget must select some pods",
  category: "availability",
  severity: "warning",
  rationale: "A PDB whose selector matches nothing protects nothing, usually after a label change.",
  remediation: "Make spec.selector match the pod template labels of the workload it protects.",
  kinds: ["PodDisruptionBudget"],
  check: (o, ctx) =>
    ctx.index.selectedBy(asRecord(o.spec).selector, namespaceOf(o)).length > 0 ? NO_VIOLATIONS : [{ message: "the selector matches no pods in the rendered set", path: "/spec/selector" }],
} satisfies CheckRule;
