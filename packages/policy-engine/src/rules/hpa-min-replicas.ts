import { asNumber, asRecord, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "hpa-min-replicas",
  title: "An HPA should keep at least two replicas (a parameter)",
  category: "availability",
  severity: "warning",
  rationale: "An HPA that scales down to one replica recreates the single point of failure at every quiet hour.",
  remediation: "Set spec.minReplicas >= 2.",
  kinds: ["HorizontalPodAutoscaler"],
  differences: "An HPA without minReplicas scales down to 1 (the API default), so it is reported; Polaris passes it.",
  parameters: {
    minReplicas: { default: 2, description: "the least minReplicas", peers: "kube-linter 3 (hpa-minimum-three-replicas), Polaris 2, kube-score 2" },
  },
  check: (o, ctx) => {
    const min = asNumber(asRecord(o.spec).minReplicas) ?? 1;
    return min >= (asNumber(ctx.params.minReplicas) ?? 2) ? NO_VIOLATIONS : [{ message: `minReplicas is ${min}`, path: asRecord(o.spec).minReplicas === undefined ? "/spec" : "/spec/minReplicas" }];
  },
} satisfies CheckRule;
