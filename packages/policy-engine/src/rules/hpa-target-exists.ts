import { asRecord, asString, namespaceOf, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "hpa-target-exists",
  title: "An HPA must target a workload in the rendered set",
  category: "availability",
  severity: "error",
  rationale: "An HPA whose scaleTargetRef names nothing scales nothing; usually a rename that missed the HPA.",
  remediation: "Point spec.scaleTargetRef at the Deployment or StatefulSet (kind and name) it is meant to scale.",
  kinds: ["HorizontalPodAutoscaler"],
  check: (o, ctx) => {
    const ref = asRecord(asRecord(o.spec).scaleTargetRef);
    const kind = asString(ref.kind) ?? "";
    const name = asString(ref.name) ?? "";
    return ctx.index.find(kind, namespaceOf(o), name) ? NO_VIOLATIONS : [{ message: `scale target ${kind || "?"} "${name}" is not in the rendered set`, path: "/spec/scaleTargetRef" }];
  },
} satisfies CheckRule;
