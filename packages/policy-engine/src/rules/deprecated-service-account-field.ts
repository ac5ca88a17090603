import { asRecord, NO_VIOLATIONS, podTemplateOf, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "deprecated-service-account-field",
  title: "Use serviceAccountName, not the deprecated serviceAccount field",
  category: "api",
  severity: "warning",
  rationale: "spec.serviceAccount is a deprecated alias; when both fields are set and differ, which one wins surprises reviewers.",
  remediation: "Replace spec.serviceAccount with spec.serviceAccountName.",
  kinds: WORKLOAD_KINDS,
  check: (o) => {
    const t = podTemplateOf(o);
    if (!t || asRecord(t.spec).serviceAccount === undefined) return NO_VIOLATIONS;
    return [{ message: "sets the deprecated serviceAccount field", path: `${t.specPath}/serviceAccount` }];
  },
} satisfies CheckRule;
