import { asArray, asRecord, asString, namespaceOf, type Json } from "../helpers.ts";
import type { CheckRule, RuleContext, Violation } from "../types.ts";

/** The Service backends of an Ingress (networking.k8s.io/v1 and the legacy serviceName/servicePort form). */
function backends(spec: Json): { backend: Json; path: string }[] {
  const out: { backend: Json; path: string }[] = [];
  const single = spec.defaultBackend ?? spec.backend;
  if (single) out.push({ backend: asRecord(single), path: spec.defaultBackend ? "/spec/defaultBackend" : "/spec/backend" });
  asArray(spec.rules).forEach((r, i) => {
    asArray(asRecord(asRecord(r).http).paths).forEach((p, j) => out.push({ backend: asRecord(asRecord(p).backend), path: `/spec/rules/${i}/http/paths/${j}/backend` }));
  });
  return out;
}

function checkBackend(backend: Json, path: string, namespace: string, ctx: RuleContext, v1: boolean): Violation | undefined {
  if (backend.resource) return undefined; // a resource backend (e.g. a storage bucket) is not a Service
  // networking.k8s.io/v1 has no serviceName/servicePort: the API server drops them and the path has no backend.
  if (v1 && (backend.serviceName !== undefined || backend.servicePort !== undefined) && backend.service === undefined) {
    return { message: "legacy serviceName/servicePort backend in networking.k8s.io/v1 (use backend.service.name and backend.service.port)", path };
  }
  const service = asRecord(backend.service);
  const name = asString(service.name) ?? asString(backend.serviceName);
  const port = service.port !== undefined ? (asRecord(service.port).number ?? asRecord(service.port).name) : backend.servicePort;
  if (!name) return { message: "backend names no Service", path };
  const target = ctx.index.find("Service", namespace, name);
  if (!target) return { message: `backend Service "${name}" is not in the rendered set`, path };
  if (port === undefined) return undefined;
  const ports = asArray(asRecord(target.spec).ports).map(asRecord);
  const found = ports.some((p) => p.port === port || p.name === port || String(p.port) === String(port));
  return found ? undefined : { message: `backend Service "${name}" has no port ${String(port)}`, path };
}

export default {
  id: "ingress-backend-exists",
  title: "Ingress backends must be rendered Services and ports",
  category: "network",
  severity: "error",
  rationale: "A backend naming a missing Service or port answers every request with 503.",
  remediation: "Point backend.service.name and port at a Service in the same namespace.",
  kinds: ["Ingress"],
  check: (o, ctx) => {
    const v1 = o.apiVersion === "networking.k8s.io/v1";
    return backends(asRecord(o.spec)).flatMap(({ backend, path }) => checkBackend(backend, path, namespaceOf(o), ctx, v1) ?? []);
  },
} satisfies CheckRule;
