import { labelsOf, NO_VIOLATIONS, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

const RECOMMENDED = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"];

export default {
  id: "recommended-labels",
  title: "Objects should carry the recommended app.kubernetes.io labels",
  category: "metadata",
  severity: "info",
  rationale: "The recommended labels let tools (Argo CD, dashboards, cost reports) group objects by application, instance and component.",
  remediation: "Add app.kubernetes.io/{name,instance,component,part-of,managed-by}.",
  kinds: [...WORKLOAD_KINDS, "Service"],
  check: (o) => {
    const labels = labelsOf(o);
    const missing = RECOMMENDED.filter((l) => labels[l] === undefined);
    return missing.length === 0 ? NO_VIOLATIONS : [{ message: `missing recommended labels: ${missing.join(", ")}`, path: "/metadata" }];
  },
} satisfies CheckRule;
