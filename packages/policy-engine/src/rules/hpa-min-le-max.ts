import { asNumber, asRecord, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "hpa-min-le-max",
  title: "An HPA's maxReplicas must exceed minReplicas",
  category: "availability",
  severity: "error",
  rationale: "min > max (or no max) is rejected by the API server or pins the workload at a size nobody chose; min = max never scales.",
  remediation: "Set maxReplicas above minReplicas (or drop the HPA and set spec.replicas).",
  kinds: ["HorizontalPodAutoscaler"],
  check: (o) => {
    const spec = asRecord(o.spec);
    const max = asNumber(spec.maxReplicas);
    const min = asNumber(spec.minReplicas) ?? 1;
    if (max === undefined) return [{ message: "maxReplicas is not set", path: "/spec" }];
    if (min < max) return NO_VIOLATIONS;
    return [{ message: min === max ? `minReplicas equals maxReplicas (${max}): the HPA never scales` : `minReplicas ${min} exceeds maxReplicas ${max}`, path: "/spec/minReplicas" }];
  },
} satisfies CheckRule;
