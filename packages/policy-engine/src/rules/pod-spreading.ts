import { asArray, asRecord, NO_VIOLATIONS, podTemplateOf } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "pod-spreading",
  title: "Replicated workloads should spread across nodes",
  category: "availability",
  severity: "warning",
  rationale: "Replicas scheduled onto one node all go down with it; replicas only help when they are spread.",
  remediation: "Add topologySpreadConstraints (kubernetes.io/hostname, and zones on multi-zone clusters) or a podAntiAffinity on the pod labels.",
  kinds: ["Deployment", "StatefulSet"],
  check: (o, ctx) => {
    const t = podTemplateOf(o);
    if (!t || ctx.index.minReplicas(o) < 2) return NO_VIOLATIONS;
    const antiAffinity = asRecord(asRecord(t.spec.affinity).podAntiAffinity);
    const spread = asArray(t.spec.topologySpreadConstraints).length > 0 || Object.keys(antiAffinity).length > 0;
    return spread ? NO_VIOLATIONS : [{ message: "no topologySpreadConstraints or podAntiAffinity for a replicated workload", path: t.specPath }];
  },
} satisfies CheckRule;
