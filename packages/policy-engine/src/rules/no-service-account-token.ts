import { asRecord, asString, namespaceOf, NO_VIOLATIONS, podTemplateOf, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "no-service-account-token",
  title: "Service-account tokens should not be mounted",
  category: "security",
  severity: "warning",
  rationale: "None of the stack's components calls the Kubernetes API; a mounted token is only useful to an intruder.",
  remediation: "Set automountServiceAccountToken: false on the pod spec (or on its ServiceAccount).",
  kinds: WORKLOAD_KINDS,
  check: (o, ctx) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const podValue = t.spec.automountServiceAccountToken;
    if (podValue === false) return NO_VIOLATIONS;
    const saName = asString(t.spec.serviceAccountName) ?? asString(t.spec.serviceAccount) ?? "default";
    const sa = ctx.index.find("ServiceAccount", namespaceOf(o), saName);
    if (podValue === undefined && sa && asRecord(sa).automountServiceAccountToken === false) return NO_VIOLATIONS;
    return [{ message: `pod mounts the token of service account "${saName}"`, path: `${t.specPath}${podValue === undefined ? "" : "/automountServiceAccountToken"}` }];
  },
} satisfies CheckRule;
