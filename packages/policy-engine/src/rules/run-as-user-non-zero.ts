import { eachContainer, effectiveSecurity, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "run-as-user-non-zero",
  title: "Containers must not run as UID 0",
  category: "security",
  severity: "error",
  rationale: "Pod Security 'restricted' forbids runAsUser: 0; root in a container is root on the node after any escape.",
  remediation: "Set runAsUser to the image's non-root UID.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c, t) => {
      const { value, path } = effectiveSecurity(c, t, "runAsUser");
      return value === 0 ? { message: `container "${c.name}" runs as UID 0`, path } : undefined;
    }),
} satisfies CheckRule;
