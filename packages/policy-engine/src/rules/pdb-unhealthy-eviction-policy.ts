import type { SchemaRule } from "../types.ts";

export default {
  id: "pdb-unhealthy-eviction-policy",
  title: "A PodDisruptionBudget should set unhealthyPodEvictionPolicy",
  category: "availability",
  severity: "info",
  rationale: "With the default (IfHealthyBudget) a crash-looping pod can block node drains; AlwaysAllow lets unhealthy pods be evicted.",
  remediation: "Set spec.unhealthyPodEvictionPolicy: AlwaysAllow.",
  kinds: ["PodDisruptionBudget"],
  message: "spec.unhealthyPodEvictionPolicy is not set",
  schema: {
    type: "object",
    required: ["spec"],
    properties: { spec: { type: "object", required: ["unhealthyPodEvictionPolicy"] } },
  },
} satisfies SchemaRule;
