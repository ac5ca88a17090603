import { asRecord, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "pdb-has-policy",
  title: "A PodDisruptionBudget must set minAvailable or maxUnavailable",
  category: "availability",
  severity: "error",
  rationale: "Without either field the budget allows no disruption at all for its pods, or nothing, depending on the version: either way not what anyone meant.",
  remediation: "Set exactly one of spec.maxUnavailable (preferred: 1) and spec.minAvailable.",
  kinds: ["PodDisruptionBudget"],
  check: (o) => {
    const spec = asRecord(o.spec);
    if (spec.minAvailable !== undefined || spec.maxUnavailable !== undefined) return NO_VIOLATIONS;
    return [{ message: "neither minAvailable nor maxUnavailable is set", path: "/spec" }];
  },
} satisfies CheckRule;
