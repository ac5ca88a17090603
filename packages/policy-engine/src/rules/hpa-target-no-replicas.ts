import { asRecord, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "hpa-target-no-replicas",
  title: "A workload scaled by an HPA must not set spec.replicas",
  category: "availability",
  severity: "warning",
  rationale: "With spec.replicas in git, every Argo CD sync resets the HPA's decision and the two fight.",
  remediation: "Remove spec.replicas from the HPA's target (or ignore the field in Argo CD).",
  kinds: ["Deployment", "StatefulSet", "ReplicaSet"],
  check: (o, ctx) =>
    asRecord(o.spec).replicas !== undefined && ctx.index.hpasFor(o).length > 0
      ? [{ message: "spec.replicas is set although an HPA scales this workload", path: "/spec/replicas" }]
      : NO_VIOLATIONS,
} satisfies CheckRule;
