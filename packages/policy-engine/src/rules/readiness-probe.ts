import { asRecord, eachContainer, LONG_RUNNING_KINDS, namespaceOf, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "readiness-probe",
  title: "Long-running containers need a readiness probe",
  category: "reliability",
  severity: "warning",
  rationale: "Without a readiness probe a pod receives traffic before it can serve it, and a rollout proceeds while new pods are still failing.",
  remediation: "Add a readinessProbe that checks the process can serve requests.",
  kinds: LONG_RUNNING_KINDS,
  differences: "Every container of a pod needs its own probe: kube-score is satisfied by a probe on any one container.",
  parameters: {
    onlyServed: { default: false, description: "only pods a Service selects need one", peers: "kube-score checks only pods a Service targets; kube-linter and Polaris every container" },
  },
  check: (o, ctx) => {
    if (ctx.params.onlyServed === true) {
      const served = ctx.index.ofKind("Service", namespaceOf(o)).some((s) => {
        const selector = asRecord(asRecord(s.spec).selector);
        return Object.keys(selector).length > 0 && ctx.index.selectedByService(selector, namespaceOf(o)).some((w) => w.object === o);
      });
      if (!served) return NO_VIOLATIONS;
    }
    return eachContainer(o, (c) => (c.container.readinessProbe ? undefined : { message: `container "${c.name}" has no readiness probe`, path: c.path }), { includeInit: false });
  },
} satisfies CheckRule;
