import { asArray, asRecord, asString, kindOf, namespaceOf } from "../helpers.ts";
import { gatewayParents, hostnameMatches, hostnameProblem, selectedListeners } from "../routes.ts";
import type { CheckRule, Violation } from "../types.ts";

/** The host names an object routes, with their JSON pointers. */
function hostnames(o: Parameters<CheckRule["check"]>[0]): { host: string; path: string }[] {
  const spec = asRecord(o.spec);
  switch (kindOf(o)) {
    case "HTTPRoute":
      return asArray(spec.hostnames).flatMap((h, i) => (typeof h === "string" ? [{ host: h, path: `/spec/hostnames/${i}` }] : []));
    case "Gateway":
      return asArray(spec.listeners).flatMap((l, i) => {
        const host = asString(asRecord(l).hostname);
        return host ? [{ host, path: `/spec/listeners/${i}/hostname` }] : [];
      });
    default: // Ingress
      return [
        ...asArray(spec.rules).flatMap((r, i) => {
          const host = asString(asRecord(r).host);
          return host ? [{ host, path: `/spec/rules/${i}/host` }] : [];
        }),
        ...asArray(spec.tls).flatMap((t, i) => asArray(asRecord(t).hosts).flatMap((h, j) => (typeof h === "string" ? [{ host: h, path: `/spec/tls/${i}/hosts/${j}` }] : []))),
      ];
  }
}

export default {
  id: "route-hostnames-valid",
  title: "Route and listener host names must be valid and agree",
  category: "network",
  severity: "error",
  rationale:
    "Routing matches the Host header against these names: an uppercase name, an IP or a port never matches, and an HTTPRoute " +
    "whose hostnames no listener of its Gateway admits is not attached to that listener.",
  remediation: "Use lowercase RFC 1123 names (optionally *.wildcard); give the HTTPRoute a hostname its listener's hostname covers.",
  kinds: ["HTTPRoute", "Gateway", "Ingress"],
  check: (o, ctx) => {
    const hosts = hostnames(o);
    const out: Violation[] = hosts.flatMap(({ host, path }) => {
      const problem = hostnameProblem(host);
      return problem ? [{ message: `host name "${host}" is ${problem}`, path }] : [];
    });
    if (kindOf(o) !== "HTTPRoute" || hosts.length === 0) return out;
    for (const ref of gatewayParents(o)) {
      const gateway = ctx.index.find("Gateway", ref.namespace, ref.name);
      if (!gateway) continue;
      const listeners = selectedListeners(gateway, ref);
      const admitted = listeners.some((l) => {
        const lh = asString(l.hostname);
        return !lh || hosts.some(({ host }) => hostnameMatches(lh, host));
      });
      if (listeners.length && !admitted) {
        out.push({ message: `no hostname of the route matches a listener hostname of Gateway ${namespaceOf(gateway)}/${ref.name}`, path: "/spec/hostnames" });
      }
    }
    return out;
  },
} satisfies CheckRule;
