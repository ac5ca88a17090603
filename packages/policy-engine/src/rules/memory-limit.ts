import { eachContainer, missingResources, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "memory-limit",
  title: "Containers must set a memory limit",
  category: "resources",
  severity: "warning",
  rationale: "A container without a memory limit can exhaust the node's memory and get neighbouring pods OOM-killed.",
  remediation: "Set resources.limits.memory on every container.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) =>
      missingResources(c.container, "limits", ["memory"]).length ? { message: `container "${c.name}" has no memory limit`, path: `${c.path}/resources` } : undefined,
    ),
} satisfies CheckRule;
