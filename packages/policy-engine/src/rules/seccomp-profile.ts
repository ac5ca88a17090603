import { asRecord, eachContainer, effectiveSecurity, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

const ALLOWED = new Set(["RuntimeDefault", "Localhost"]);

export default {
  id: "seccomp-profile",
  title: "A RuntimeDefault or Localhost seccomp profile must apply",
  category: "security",
  severity: "error",
  rationale: "Without a seccomp profile a container can call every syscall; Pod Security 'restricted' requires RuntimeDefault or Localhost.",
  remediation: "Set securityContext.seccompProfile.type: RuntimeDefault on the pod (containers inherit it) and never Unconfined.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c, t) => {
      const { value, path } = effectiveSecurity(c, t, "seccompProfile");
      const type = asRecord(value).type;
      if (typeof type === "string" && ALLOWED.has(type)) return undefined;
      return {
        message: `container "${c.name}" ${type === undefined ? "has no seccomp profile" : `uses seccomp profile ${String(type)}`}`,
        path: type === undefined ? path : `${path}/type`,
      };
    }),
} satisfies CheckRule;
