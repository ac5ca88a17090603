import { eachContainer, missingResources, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "resource-requests",
  title: "Containers must request CPU and memory",
  category: "resources",
  severity: "warning",
  rationale: "Without requests the scheduler places pods blindly, the pod gets BestEffort QoS and is evicted first, and an HPA on CPU cannot work.",
  remediation: "Set resources.requests.cpu and resources.requests.memory on every container, init containers included.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const missing = missingResources(c.container, "requests", ["cpu", "memory"]);
      return missing.length ? { message: `container "${c.name}" has no ${missing.join(" or ")} request`, path: `${c.path}/resources` } : undefined;
    }),
} satisfies CheckRule;
