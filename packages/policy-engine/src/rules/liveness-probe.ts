import { eachContainer, LONG_RUNNING_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "liveness-probe",
  title: "Long-running containers need a liveness probe",
  category: "reliability",
  severity: "warning",
  rationale: "Without a liveness probe a hung process keeps its pod Running forever.",
  remediation: "Add a livenessProbe that checks only that the process is alive, with a generous initial delay.",
  kinds: LONG_RUNNING_KINDS,
  check: (o) =>
    eachContainer(o, (c) => (c.container.livenessProbe ? undefined : { message: `container "${c.name}" has no liveness probe`, path: c.path }), { includeInit: false }),
} satisfies CheckRule;
