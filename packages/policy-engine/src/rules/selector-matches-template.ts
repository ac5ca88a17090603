import { asRecord, isEmptySelector, kindOf, mapSelectorMatches, NO_VIOLATIONS, podTemplateOf, selectorMatches } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "selector-matches-template",
  title: "A workload's selector must match its pod template labels",
  category: "reliability",
  severity: "error",
  rationale: "A selector that does not match the template is rejected by the API server (or, for a too-broad selector, adopts other pods).",
  remediation: "Make spec.selector.matchLabels a subset of spec.template.metadata.labels, using only stable labels.",
  kinds: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "DeploymentConfig"],
  check: (o) => {
    const t = podTemplateOf(o);
    const spec = asRecord(o.spec);
    if (!t) return NO_VIOLATIONS;
    // Jobs generate their own selector unless manualSelector is set.
    if (kindOf(o) === "Job" && spec.manualSelector !== true) return NO_VIOLATIONS;
    // ReplicationController and OpenShift's DeploymentConfig select with a plain label map.
    if (kindOf(o) === "ReplicationController" || kindOf(o) === "DeploymentConfig") {
      const sel = asRecord(spec.selector);
      return Object.keys(sel).length === 0 || mapSelectorMatches(sel, t.labels)
        ? NO_VIOLATIONS
        : [{ message: "spec.selector does not match the pod template labels", path: "/spec/selector" }];
    }
    if (spec.selector === undefined || isEmptySelector(spec.selector)) return [{ message: "spec.selector is missing or empty", path: "/spec" }];
    return selectorMatches(spec.selector, t.labels) ? NO_VIOLATIONS : [{ message: "spec.selector does not match the pod template labels", path: "/spec/selector" }];
  },
} satisfies CheckRule;
