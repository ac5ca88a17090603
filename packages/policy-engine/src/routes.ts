// Routes in any rendered set: Gateway API HTTPRoutes (parentRefs, backendRefs) and Ingresses, the Gateways they
// attach to, and whether a NetworkPolicy lets the edge reach their backends. Shared by the route rules.
import { asArray, asNumber, asRecord, asString, containerPorts, containersOf, namespaceOf, type Json } from "./helpers.ts";
import type { ObjectIndex, Workload } from "./object-index.ts";
import type { K8sObject } from "./types.ts";

export const GATEWAY_GROUP = "gateway.networking.k8s.io";

/**
 * Gateways a route attaches to that live outside the rendered set (a platform's Gateway) are declared on the route:
 * an annotation (httproute-parent-exists' parameter externalParentsAnnotation) listing <namespace>/<name>, comma-separated.
 */
export const DEFAULT_EXTERNAL_PARENTS_ANNOTATION = "kube-policy.dev/external-parents";

export interface ParentRef {
  name: string;
  namespace: string;
  sectionName?: string;
  port?: number;
  path: string;
}

/** The Gateway parentRefs of a route (other parent kinds, such as a Service for mesh routing, are not Gateways). */
export function gatewayParents(route: K8sObject): ParentRef[] {
  return asArray(asRecord(route.spec).parentRefs).flatMap((raw, i) => {
    const ref = asRecord(raw);
    const group = asString(ref.group) ?? GATEWAY_GROUP;
    const kind = asString(ref.kind) ?? "Gateway";
    if (group !== GATEWAY_GROUP || kind !== "Gateway") return [];
    return [{
      name: asString(ref.name) ?? "",
      namespace: asString(ref.namespace) ?? namespaceOf(route),
      sectionName: asString(ref.sectionName),
      port: asNumber(ref.port),
      path: `/spec/parentRefs/${i}`,
    }];
  });
}

export function declaredExternalParents(route: K8sObject, annotation: string): Set<string> {
  const raw = asString(route.metadata?.annotations?.[annotation]) ?? "";
  return new Set(raw.split(",").map((s) => s.trim()).filter(Boolean));
}

export interface BackendRef {
  group: string;
  kind: string;
  name: string;
  namespace: string;
  port?: number;
  path: string;
}

export function backendRefs(route: K8sObject): BackendRef[] {
  return asArray(asRecord(route.spec).rules).flatMap((rule, i) =>
    asArray(asRecord(rule).backendRefs).map((raw, j) => {
      const ref = asRecord(raw);
      return {
        group: asString(ref.group) ?? "",
        kind: asString(ref.kind) ?? "Service",
        name: asString(ref.name) ?? "",
        namespace: asString(ref.namespace) ?? namespaceOf(route),
        port: asNumber(ref.port),
        path: `/spec/rules/${i}/backendRefs/${j}`,
      };
    }),
  );
}

export const isServiceRef = (b: BackendRef): boolean => b.group === "" && b.kind === "Service";

/** Does a rendered ReferenceGrant in `to` namespace admit `fromKind` objects of `fromNamespace` to this object? */
export function referenceGranted(index: ObjectIndex, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; namespace: string; name: string }): boolean {
  return index.ofKind("ReferenceGrant", to.namespace).some((grant) => {
    const spec = asRecord(grant.spec);
    const fromOk = asArray(spec.from).map(asRecord).some((f) => (asString(f.group) ?? "") === from.group && f.kind === from.kind && f.namespace === from.namespace);
    const toOk = asArray(spec.to).map(asRecord).some((t) => (asString(t.group) ?? "") === to.group && t.kind === to.kind && (t.name === undefined || t.name === to.name));
    return fromOk && toOk;
  });
}

/** The listeners of a Gateway a parentRef selects (by sectionName and port; neither: all). */
export function selectedListeners(gateway: K8sObject, ref: Pick<ParentRef, "sectionName" | "port">): Json[] {
  return asArray(asRecord(gateway.spec).listeners)
    .map(asRecord)
    .filter((l) => (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port));
}

/** The routes of the rendered set attached to a listener of a Gateway. */
export function routesOnListener(index: ObjectIndex, gateway: K8sObject, listener: Json): K8sObject[] {
  const gwName = asString(gateway.metadata?.name);
  const gwNamespace = namespaceOf(gateway);
  return index.ofKind("HTTPRoute").filter((route) =>
    gatewayParents(route).some((p) => p.name === gwName && p.namespace === gwNamespace && selectedListeners(gateway, p).includes(listener)),
  );
}

/** Whether a route only redirects (every rule a RequestRedirect, no backend). */
export function onlyRedirects(route: K8sObject): boolean {
  const rules = asArray(asRecord(route.spec).rules).map(asRecord);
  return rules.length > 0 && rules.every((r) => asArray(r.backendRefs).length === 0 && asArray(r.filters).some((f) => asRecord(f).type === "RequestRedirect"));
}

/** The container ports behind one port of a Service (its targetPort, by name or number), with the pods. */
export function podsBehindServicePort(index: ObjectIndex, service: K8sObject, port: { number?: number; name?: string }): { pods: Workload[]; containerPorts: number[] } {
  const spec = asRecord(service.spec);
  const servicePort = asArray(spec.ports).map(asRecord).find((p) => (port.number !== undefined && p.port === port.number) || (port.name !== undefined && p.name === port.name));
  const pods = index.selectedByService(asRecord(spec.selector), namespaceOf(service));
  if (!servicePort) return { pods, containerPorts: [] };
  const target = servicePort.targetPort ?? servicePort.port;
  const numbers = pods.flatMap((w) =>
    containersOf(w.template, { includeInit: false }).flatMap((c) => containerPorts(c.container)).filter((c) => c.port === target || c.name === target || String(c.port) === String(target)).map((c) => c.port),
  );
  return { pods, containerPorts: [...new Set(numbers)] };
}

/**
 * Whether the NetworkPolicies of the pods' namespace let traffic from outside it (namespaceSelector, ipBlock or an
 * empty `from`) reach the pods on the port. Pods no Ingress policy isolates are reachable (networkpolicy-coverage
 * reports those).
 */
export function reachableFromOutside(index: ObjectIndex, pod: Workload, port: number): boolean {
  const isolating = index.ofKind("NetworkPolicy", pod.namespace).filter((np) => {
    const spec = asRecord(np.spec);
    const types = asArray(spec.policyTypes);
    const ingress = types.length ? types.includes("Ingress") : true;
    return ingress && index.selectedBy(spec.podSelector, pod.namespace).some((w) => w.object === pod.object);
  });
  if (isolating.length === 0) return true;
  return isolating.some((np) =>
    asArray(asRecord(np.spec).ingress).map(asRecord).some((rule) => {
      const from = asArray(rule.from).map(asRecord);
      const outside = from.length === 0 || from.some((peer) => peer.namespaceSelector !== undefined || peer.ipBlock !== undefined);
      const ports = asArray(rule.ports).map(asRecord);
      const portOk = ports.length === 0 || ports.some((p) => p.port === undefined || p.port === port || (typeof p.port === "number" && typeof p.endPort === "number" && port >= p.port && port <= p.endPort));
      return outside && portOk;
    }),
  );
}

/** RFC 1123 host name, optionally with a leading "*." wildcard label (Gateway API and Ingress both allow it). */
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const IP = /^(\d{1,3}\.){3}\d{1,3}$|:/;

/** Why a host name is not valid for routing; undefined when it is. */
export function hostnameProblem(host: string): string | undefined {
  if (host.length > 253) return "longer than 253 characters";
  if (IP.test(host)) return "an IP address (routes match host names, not addresses)";
  if (!HOSTNAME.test(host)) return "not a lowercase RFC 1123 host name (letters, digits, '-', '.'; an optional leading '*.')";
  return undefined;
}

/** Does a listener hostname (possibly a wildcard) admit a route hostname? */
export function hostnameMatches(listener: string, route: string): boolean {
  if (listener === route) return true;
  const suffix = (h: string) => (h.startsWith("*.") ? h.slice(1) : undefined);
  const l = suffix(listener);
  const r = suffix(route);
  if (l && !r) return route.endsWith(l) && route.length > l.length;
  if (r && !l) return listener.endsWith(r) && listener.length > r.length;
  if (l && r) return l.endsWith(r) || r.endsWith(l);
  return false;
}
