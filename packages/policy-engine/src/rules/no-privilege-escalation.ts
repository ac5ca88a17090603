import { asRecord, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "no-privilege-escalation",
  title: "Privilege escalation must be disabled",
  category: "security",
  severity: "error",
  rationale: "Without allowPrivilegeEscalation: false a process can gain more privileges than its parent (setuid binaries); Pod Security 'restricted' requires it explicitly.",
  remediation: "Set securityContext.allowPrivilegeEscalation: false on every container.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const value = asRecord(c.container.securityContext).allowPrivilegeEscalation;
      if (value === false) return undefined;
      return {
        message: `container "${c.name}" ${value === true ? "allows privilege escalation" : "does not set allowPrivilegeEscalation: false"}`,
        path: `${c.path}/securityContext${value === undefined ? "" : "/allowPrivilegeEscalation"}`,
      };
    }),
} satisfies CheckRule;
