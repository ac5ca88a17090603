import { eachContainer, LONG_RUNNING_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "readiness-probe",
  title: "Long-running containers need a readiness probe",
  category: "reliability",
  severity: "warning",
  rationale: "Without a readiness probe a pod receives traffic before it can serve it, and a rollout proceeds while new pods are still failing.",
  remediation: "Add a readinessProbe that checks the process can serve requests.",
  kinds: LONG_RUNNING_KINDS,
  check: (o) =>
    eachContainer(o, (c) => (c.container.readinessProbe ? undefined : { message: `container "${c.name}" has no readiness probe`, path: c.path }), { includeInit: false }),
} satisfies CheckRule;
