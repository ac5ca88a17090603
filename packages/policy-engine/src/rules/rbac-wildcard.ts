import { asArray, asRecord } from "../helpers.ts";
import { ROLE_KINDS } from "../rbac.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "rbac-wildcard",
  title: "Roles must not use wildcards in verbs, resources or apiGroups",
  category: "rbac",
  severity: "error",
  rationale: "A wildcard grants everything that exists now and whatever later API versions and CRDs add, which no reviewer approved.",
  remediation: "List the verbs, resources and API groups the role needs.",
  kinds: ROLE_KINDS,
  check: (o) => {
    const out: Violation[] = [];
    asArray(o.rules).forEach((raw, i) => {
      const rule = asRecord(raw);
      for (const field of ["verbs", "resources", "apiGroups"] as const) {
        const j = asArray(rule[field]).indexOf("*");
        if (j >= 0) out.push({ message: `wildcard "*" in ${field}`, path: `/rules/${i}/${field}/${j}` });
      }
    });
    return out;
  },
} satisfies CheckRule;
