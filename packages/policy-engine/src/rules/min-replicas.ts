import { asArray, asNumber, asRecord, NO_VIOLATIONS, podTemplateOf } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "min-replicas",
  title: "Stateless Deployments should run at least two replicas (a parameter)",
  category: "availability",
  severity: "warning",
  rationale: "A single replica means downtime on every node drain, rollout hiccup or crash.",
  remediation: "Set spec.replicas >= 2 (or an HPA with minReplicas >= 2). Singletons by design (a Recreate strategy or a mounted claim) are not flagged.",
  kinds: ["Deployment", "DeploymentConfig"],
  parameters: {
    minReplicas: { default: 2, description: "the least replica count (spec.replicas, or the HPA's minReplicas)", peers: "kube-linter 3 (minimum-three-replicas), Polaris 2 (deploymentMissingReplicas), kube-score 2" },
  },
  check: (o, ctx) => {
    const spec = asRecord(o.spec);
    // A Recreate strategy or a ReadWriteOnce claim declares a workload that must not run twice.
    if (asRecord(spec.strategy).type === "Recreate") return NO_VIOLATIONS;
    if (asArray(podTemplateOf(o)?.spec.volumes).some((v) => asRecord(v).persistentVolumeClaim)) return NO_VIOLATIONS;
    const min = ctx.index.minReplicas(o);
    if (min >= (asNumber(ctx.params.minReplicas) ?? 2)) return NO_VIOLATIONS;
    const viaHpa = ctx.index.hpasFor(o).length > 0;
    return [{ message: viaHpa ? `the HPA lets this Deployment scale down to ${min} replica` : `runs ${min} replica`, path: spec.replicas === undefined ? "/spec" : "/spec/replicas" }];
  },
} satisfies CheckRule;
