import { namespaceOf, NO_VIOLATIONS, podTemplateOf, LONG_RUNNING_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "networkpolicy-coverage",
  title: "Every workload must be selected by a NetworkPolicy",
  category: "network",
  severity: "warning",
  rationale: "Pods no NetworkPolicy selects accept traffic from anywhere in the cluster.",
  remediation: "Render a NetworkPolicy whose podSelector matches the pods and admits only their real clients.",
  kinds: LONG_RUNNING_KINDS,
  check: (o, ctx) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const covered = ctx.index.ofKind("NetworkPolicy", namespaceOf(o)).some((np) => {
      const spec = (np.spec ?? {}) as { podSelector?: unknown };
      return ctx.index.selectedBy(spec.podSelector, namespaceOf(o)).some((w) => w.object === o);
    });
    return covered ? NO_VIOLATIONS : [{ message: "no NetworkPolicy selects these pods", path: t.metadataPath }];
  },
} satisfies CheckRule;
