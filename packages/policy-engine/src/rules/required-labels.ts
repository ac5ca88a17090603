import { labelsOf, podTemplateOf, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

const REQUIRED = "app.kubernetes.io/name";

export default {
  id: "required-labels",
  title: "Workloads, their pods and Services must carry app.kubernetes.io/name",
  category: "metadata",
  severity: "warning",
  rationale: "Selectors, NetworkPolicies, dashboards and `kubectl get -l` all rely on the name label.",
  remediation: "Add the app.kubernetes.io/name label (kustomize `labels` with includeTemplates sets it everywhere).",
  kinds: [...WORKLOAD_KINDS, "Service"],
  check: (o) => {
    const out: Violation[] = [];
    if (labelsOf(o)[REQUIRED] === undefined) out.push({ message: `metadata has no ${REQUIRED} label`, path: "/metadata" });
    const t = podTemplateOf(o);
    if (t && t.metadataPath !== "/metadata" && t.labels[REQUIRED] === undefined) out.push({ message: `pod template has no ${REQUIRED} label`, path: t.metadataPath });
    return out;
  },
} satisfies CheckRule;
