import { asNumber, asRecord, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "hpa-min-le-max",
  title: "An HPA's minReplicas must not exceed maxReplicas",
  category: "availability",
  severity: "error",
  rationale: "min > max (or no max) is rejected by the API server or pins the workload at a size nobody chose.",
  remediation: "Set maxReplicas >= minReplicas.",
  kinds: ["HorizontalPodAutoscaler"],
  check: (o) => {
    const spec = asRecord(o.spec);
    const max = asNumber(spec.maxReplicas);
    const min = asNumber(spec.minReplicas) ?? 1;
    if (max === undefined) return [{ message: "maxReplicas is not set", path: "/spec" }];
    return min <= max ? NO_VIOLATIONS : [{ message: `minReplicas ${min} exceeds maxReplicas ${max}`, path: "/spec/minReplicas" }];
  },
} satisfies CheckRule;
