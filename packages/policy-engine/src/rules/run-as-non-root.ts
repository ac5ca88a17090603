import { eachContainer, effectiveSecurity, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "run-as-non-root",
  title: "Containers must run as non-root",
  category: "security",
  severity: "error",
  rationale: "Pod Security 'restricted' requires runAsNonRoot: true so the kubelet refuses to start a container whose image runs as root.",
  remediation: "Set securityContext.runAsNonRoot: true on the pod (or on every container) and run the image as a non-zero UID.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c, t) => {
      const { value, path } = effectiveSecurity(c, t, "runAsNonRoot");
      if (value === true) return undefined;
      return { message: `container "${c.name}" ${value === false ? "sets runAsNonRoot: false" : "does not set runAsNonRoot: true"}`, path };
    }),
} satisfies CheckRule;
