import { asArray, asRecord, namespaceOf } from "../helpers.ts";
import { backendRefs, isServiceRef, referenceGranted } from "../routes.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "httproute-backend-exists",
  title: "HTTPRoute backends must be rendered Services and ports",
  category: "network",
  severity: "error",
  rationale:
    "A backendRef naming a missing Service or port (Gateway API requires the port number for a Service) leaves the route's " +
    "ResolvedRefs condition False and answers with 500; one in another namespace needs that namespace's ReferenceGrant.",
  remediation: "Point backendRefs at a rendered Service by name and port number; across namespaces add a ReferenceGrant there.",
  kinds: ["HTTPRoute"],
  check: (o, ctx) =>
    backendRefs(o).flatMap((b): Violation[] => {
      if (!isServiceRef(b)) return [];
      if (!b.name) return [{ message: "backendRef names no Service", path: b.path }];
      if (b.port === undefined) return [{ message: `backendRef to Service "${b.name}" has no port number (required for a Service)`, path: b.path }];
      if (b.namespace !== namespaceOf(o)) {
        const granted = referenceGranted(ctx.index, { group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: namespaceOf(o) }, { group: "", kind: "Service", namespace: b.namespace, name: b.name });
        if (!granted) return [{ message: `backendRef to Service ${b.namespace}/${b.name} crosses namespaces without a ReferenceGrant in ${b.namespace}`, path: `${b.path}/namespace` }];
      }
      const service = ctx.index.find("Service", b.namespace, b.name);
      if (!service) return b.namespace === namespaceOf(o) ? [{ message: `backend Service "${b.name}" is not in the rendered set`, path: `${b.path}/name` }] : [];
      const ports = asArray(asRecord(service.spec).ports).map(asRecord);
      return ports.some((p) => p.port === b.port) ? [] : [{ message: `backend Service "${b.name}" has no port ${b.port}`, path: `${b.path}/port` }];
    }),
} satisfies CheckRule;
