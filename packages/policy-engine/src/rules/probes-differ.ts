import { eachContainer, LONG_RUNNING_KINDS, stableStringify } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "probes-differ",
  title: "Liveness and readiness probes must differ",
  category: "reliability",
  severity: "warning",
  rationale: "An identical liveness probe restarts a pod that is merely not ready (a database blip), turning a brief outage into a restart storm.",
  remediation: "Make liveness check only that the process is alive and readiness that it can serve, or relax liveness thresholds.",
  kinds: LONG_RUNNING_KINDS,
  check: (o) =>
    eachContainer(
      o,
      (c) =>
        c.container.livenessProbe && c.container.readinessProbe && stableStringify(c.container.livenessProbe) === stableStringify(c.container.readinessProbe)
          ? { message: `container "${c.name}" uses the same probe for liveness and readiness`, path: `${c.path}/livenessProbe` }
          : undefined,
      { includeInit: false },
    ),
} satisfies CheckRule;
