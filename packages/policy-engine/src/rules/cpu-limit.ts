import { eachContainer, missingResources, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "cpu-limit",
  title: "Containers may set a CPU limit",
  category: "resources",
  severity: "info",
  rationale: "CPU limits bound a runaway process but also throttle bursts; the field disagrees (Kyverno does not require them), so this is informational.",
  remediation: "Set resources.limits.cpu where a noisy neighbour is a bigger risk than throttling.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) =>
      missingResources(c.container, "limits", ["cpu"]).length ? { message: `container "${c.name}" has no CPU limit`, path: `${c.path}/resources` } : undefined,
    ),
} satisfies CheckRule;
