import { asArray, asRecord, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "drop-all-capabilities",
  title: "Containers must drop ALL capabilities",
  category: "security",
  severity: "error",
  rationale: "The default capability set includes NET_RAW and others a service does not need; Pod Security 'restricted' requires dropping ALL.",
  remediation: "Set securityContext.capabilities.drop: [ALL] (add back only NET_BIND_SERVICE if a port below 1024 is needed).",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const drop = asArray(asRecord(asRecord(c.container.securityContext).capabilities).drop);
      if (drop.some((d) => typeof d === "string" && d.toUpperCase() === "ALL")) return undefined;
      return { message: `container "${c.name}" does not drop ALL capabilities`, path: `${c.path}/securityContext` };
    }),
} satisfies CheckRule;
