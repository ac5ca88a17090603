import { asRecord, NO_VIOLATIONS, podTemplateOf, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "default-service-account",
  title: "Workloads must not run as the default ServiceAccount",
  category: "security",
  severity: "warning",
  rationale: "Every pod that names no ServiceAccount shares `default`: a Role bound to it for one workload is granted to all, and its token identifies no one.",
  remediation: "Render a ServiceAccount per workload (automountServiceAccountToken: false unless it calls the API) and set spec.serviceAccountName.",
  kinds: WORKLOAD_KINDS,
  check: (o) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const spec = asRecord(t.spec);
    const name = spec.serviceAccountName ?? spec.serviceAccount;
    if (name !== undefined && name !== "" && name !== "default") return NO_VIOLATIONS;
    return [{ message: name === "default" ? "runs as the default ServiceAccount" : "names no ServiceAccount, so it runs as default", path: name === undefined ? t.specPath : `${t.specPath}/serviceAccountName` }];
  },
} satisfies CheckRule;
