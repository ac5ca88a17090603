import { asString, namespaceOf, NO_VIOLATIONS, podTemplateOf, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "service-account-exists",
  title: "A referenced ServiceAccount must be in the rendered set",
  category: "security",
  severity: "warning",
  rationale: "A pod naming a ServiceAccount that does not exist is rejected at creation and the rollout stalls.",
  remediation: "Render the ServiceAccount with the workload, or fix serviceAccountName.",
  kinds: WORKLOAD_KINDS,
  check: (o, ctx) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const field = t.spec.serviceAccountName !== undefined ? "serviceAccountName" : "serviceAccount";
    const name = asString(t.spec[field]);
    if (!name || name === "default" || ctx.index.find("ServiceAccount", namespaceOf(o), name)) return NO_VIOLATIONS;
    return [{ message: `service account "${name}" is not in the rendered set`, path: `${t.specPath}/${field}` }];
  },
} satisfies CheckRule;
