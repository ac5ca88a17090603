import { asArray, asRecord, isEmptySelector, labelsOf, namespaceOf, selectorMatches } from "../helpers.ts";
import type { ObjectIndex } from "../object-index.ts";
import type { CheckRule, K8sObject } from "../types.ts";

/** The namespaces a monitor looks in: namespaceSelector.matchNames, every namespace (any: true), else its own. */
function namespacesOf(o: K8sObject): string[] | "any" {
  const ns = asRecord(asRecord(o.spec).namespaceSelector);
  if (ns.any === true) return "any";
  const names = asArray(ns.matchNames).filter((n): n is string => typeof n === "string");
  return names.length > 0 ? names : [namespaceOf(o)];
}

function candidates(index: ObjectIndex, kind: "Service" | "pod", namespaces: string[] | "any"): Record<string, unknown>[] {
  if (kind === "Service") {
    const services = namespaces === "any" ? index.ofKind("Service") : namespaces.flatMap((n) => index.ofKind("Service", n));
    return services.map(labelsOf);
  }
  const workloads = namespaces === "any" ? [...new Set(index.sources.map((s) => namespaceOf(s.object)))].flatMap((n) => index.workloads(n)) : namespaces.flatMap((n) => index.workloads(n));
  return workloads.map((w) => w.template.labels);
}

export default {
  id: "monitor-selects",
  title: "A ServiceMonitor or PodMonitor must select a Service or pods",
  category: "monitoring",
  severity: "warning",
  rationale: "A monitor whose selector (in its namespaces) matches nothing scrapes nothing: the dashboards and alerts built on it stay silent and nobody notices.",
  remediation: "Make spec.selector match the labels of the metrics Service (ServiceMonitor) or pods (PodMonitor), and spec.namespaceSelector their namespace.",
  kinds: ["ServiceMonitor", "PodMonitor"],
  check: (o, ctx) => {
    const spec = asRecord(o.spec);
    const kind = o.kind === "ServiceMonitor" ? "Service" : "pod";
    // An empty selector selects everything in the namespaces; still nothing if there is nothing there.
    const labels = candidates(ctx.index, kind, namespacesOf(o));
    if (labels.some((l) => isEmptySelector(spec.selector) || selectorMatches(spec.selector, l))) return [];
    return [{ message: `selector matches no ${kind === "Service" ? "Service" : "pod template"} in the rendered set`, path: "/spec/selector" }];
  },
} satisfies CheckRule;
