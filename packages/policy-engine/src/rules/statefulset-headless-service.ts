import { asRecord, asString, mapSelectorMatches, namespaceOf, podTemplateOf } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "statefulset-headless-service",
  title: "A StatefulSet needs a headless Service that selects its pods",
  category: "reliability",
  severity: "error",
  rationale: "The governing headless Service gives each replica its stable DNS name (postgres-0.postgres); without it peers and clients cannot address a replica.",
  remediation: "Set spec.serviceName and render a Service of that name with clusterIP: None selecting the StatefulSet's pods.",
  kinds: ["StatefulSet"],
  check: (o, ctx) => {
    const name = asString(asRecord(o.spec).serviceName);
    if (!name) return [{ message: "spec.serviceName is not set", path: "/spec" }];
    const service = ctx.index.find("Service", namespaceOf(o), name);
    if (!service) return [{ message: `governing Service "${name}" is not in the rendered set`, path: "/spec/serviceName" }];
    const spec = asRecord(service.spec);
    if (spec.clusterIP !== "None") return [{ message: `Service "${name}" is not headless (clusterIP: None)`, path: "/spec/serviceName" }];
    const labels = podTemplateOf(o)?.labels ?? {};
    return mapSelectorMatches(asRecord(spec.selector), labels) ? [] : [{ message: `Service "${name}" does not select this StatefulSet's pods`, path: "/spec/serviceName" }];
  },
} satisfies CheckRule;
