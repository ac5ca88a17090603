import { asNumber, asRecord, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "hpa-min-replicas",
  title: "An HPA should keep at least two replicas",
  category: "availability",
  severity: "warning",
  rationale: "An HPA that scales down to one replica recreates the single point of failure at every quiet hour.",
  remediation: "Set spec.minReplicas >= 2.",
  kinds: ["HorizontalPodAutoscaler"],
  check: (o) => {
    const min = asNumber(asRecord(o.spec).minReplicas) ?? 1;
    return min >= 2 ? NO_VIOLATIONS : [{ message: `minReplicas is ${min}`, path: asRecord(o.spec).minReplicas === undefined ? "/spec" : "/spec/minReplicas" }];
  },
} satisfies CheckRule;
