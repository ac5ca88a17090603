import { asRecord, namespaceOf, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "service-selector-matches",
  title: "A Service's selector must match some pods",
  category: "network",
  severity: "error",
  rationale: "A Service that selects no pods has no endpoints: clients get connection refused.",
  remediation: "Make spec.selector a subset of the target workload's pod template labels.",
  kinds: ["Service"],
  check: (o, ctx) => {
    const spec = asRecord(o.spec);
    const selector = asRecord(spec.selector);
    // ExternalName Services and selector-less Services (manual endpoints) have no pods to match.
    if (spec.type === "ExternalName" || Object.keys(selector).length === 0) return NO_VIOLATIONS;
    return ctx.index.selectedByService(selector, namespaceOf(o)).length > 0
      ? NO_VIOLATIONS
      : [{ message: `selector ${JSON.stringify(selector)} matches no pods in the rendered set`, path: "/spec/selector" }];
  },
} satisfies CheckRule;
