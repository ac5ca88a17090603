import { asArray, asRecord, asString, kindOf, namespaceOf, nameOf } from "../helpers.ts";
import { backendRefs, isServiceRef, podsBehindServicePort, reachableFromOutside } from "../routes.ts";
import type { CheckRule, K8sObject, RuleContext, Violation } from "../types.ts";

/** The Service backends of an HTTPRoute or Ingress: name, namespace, port (number or name), pointer. */
function serviceBackends(o: K8sObject): { name: string; namespace: string; port: { number?: number; name?: string }; path: string }[] {
  if (kindOf(o) === "HTTPRoute") {
    return backendRefs(o).filter(isServiceRef).map((b) => ({ name: b.name, namespace: b.namespace, port: { number: b.port }, path: b.path }));
  }
  return asArray(asRecord(o.spec).rules).flatMap((r, i) =>
    asArray(asRecord(asRecord(r).http).paths).flatMap((p, j) => {
      const service = asRecord(asRecord(asRecord(p).backend).service);
      const port = asRecord(service.port);
      const name = asString(service.name);
      return name ? [{ name, namespace: namespaceOf(o), port: { number: typeof port.number === "number" ? port.number : undefined, name: asString(port.name) }, path: `/spec/rules/${i}/http/paths/${j}/backend` }] : [];
    }),
  );
}

function check(o: K8sObject, ctx: RuleContext): Violation[] {
  return serviceBackends(o).flatMap((b): Violation[] => {
    const service = ctx.index.find("Service", b.namespace, b.name);
    if (!service) return []; // the backend-exists rules report it
    const { pods, containerPorts } = podsBehindServicePort(ctx.index, service, b.port);
    const blocked = pods.filter((w) => containerPorts.length > 0 && !containerPorts.some((port) => reachableFromOutside(ctx.index, w, port)));
    return blocked.map((w) => ({
      message: `${kindOf(w.object)} ${nameOf(w.object)} behind Service ${b.name} admits no traffic from outside its namespace on port ${containerPorts.join("/")}: the route is dead`,
      path: b.path,
    }));
  });
}

export default {
  id: "route-networkpolicy-path",
  title: "Every route needs a NetworkPolicy path from the edge to its backend pods",
  category: "network",
  severity: "error",
  rationale:
    "Behind a default-deny NetworkPolicy, pods admit only the peers their policies list: a route whose backend pods admit nothing " +
    "from outside their namespace (the Ingress controller or the Gateway's data plane) times out however correct the route is.",
  remediation:
    "Admit the edge in the backend's NetworkPolicy on the container port: the controller's namespace, the Gateway API " +
    "implementation's proxy pods (ingress.gatewayApi.implementation / dataPlane) or the load balancer's CIDRs (ingress.sourceCidrs).",
  kinds: ["HTTPRoute", "Ingress"],
  check,
} satisfies CheckRule;
