// Host names and the listeners of a stack-owned Gateway: what kube-apiserver (the Gateway API CRDs' CEL rules) or
// the gateway app would refuse, or what would leave a host unserved, checked when settings load, each problem
// with its key path. Gateway API v1.x: listeners distinct by port, protocol and hostname (ListenerConflict), HTTPS
// terminating with a certificate, no tls on HTTP, at most 64 listeners, an HTTPRoute with at most 16 hostnames and
// 32 parentRefs.
import { hostnameMatches } from "@mcp-stack/policy-engine/routes"; // (the engine itself is not loaded)
import type { Settings } from "./schema.ts";
import { isWildcardHost, listenerRoutes, routeHosts } from "./derived.ts";

export type Problem = { path: string; message: string; expected?: string };

const MAX_HOSTNAMES = 16;
const MAX_PARENT_REFS = 32;
const MAX_LISTENERS = 64;

/** The routes' host names: an exact primary (it is the gateway's URL), no repeats, within Gateway API's limits. */
export function hostProblems(s: Settings): Problem[] {
  if (!s.ingress.enabled) return [];
  const out: Problem[] = [];
  const { host, additionalHosts } = s.ingress;
  if (isWildcardHost(host)) {
    out.push({
      path: "ingress.host",
      message: `${host} is a wildcard: ingress.host is the gateway's URL (APP_DOMAIN, the origin of its forms)`,
      expected: "an exact host name such as mcp.example.com; put the wildcard in ingress.additionalHosts",
    });
  }
  additionalHosts.forEach((h, i) => {
    if (h === host) out.push({ path: `ingress.additionalHosts.${i}`, message: `${h} is ingress.host already`, expected: "another host name, or remove it" });
  });
  if (s.ingress.kind === "gateway-api" && routeHosts(s).length > MAX_HOSTNAMES) {
    out.push({
      path: "ingress.additionalHosts",
      message: `${routeHosts(s).length} host names: an HTTPRoute takes at most ${MAX_HOSTNAMES} (spec.hostnames)`,
      expected: `at most ${MAX_HOSTNAMES - 1} additional hosts, or a *.wildcard covering several`,
    });
  }
  return out;
}

/** The listeners of the Gateway the stack renders (ingress.gatewayApi.listeners), against Gateway API's rules. */
export function listenerProblems(s: Settings): Problem[] {
  if (!s.ingress.enabled || s.ingress.kind !== "gateway-api") return [];
  const g = s.ingress.gatewayApi;
  const at = (i: number, key?: string) => `ingress.gatewayApi.listeners.${i}${key ? `.${key}` : ""}`;
  if (!g.listeners.length) {
    const count = g.mode === "create" ? routeHosts(s).length * (s.ingress.tls.enabled ? 2 : 1) : 0;
    return count > MAX_LISTENERS
      ? [{ path: "ingress.additionalHosts", message: `${count} listeners (one per host and protocol): a Gateway takes at most ${MAX_LISTENERS}`, expected: "fewer hosts, or ingress.gatewayApi.listeners with a *.wildcard listener" }]
      : [];
  }
  if (g.mode !== "create") {
    return [{ path: "ingress.gatewayApi.listeners", message: "only for mode create: an attached Gateway's listeners are the platform's", expected: "unset, or mode: create" }];
  }
  const out: Problem[] = [];
  if (g.listeners.length > MAX_LISTENERS) out.push({ path: "ingress.gatewayApi.listeners", message: `${g.listeners.length} listeners`, expected: `at most ${MAX_LISTENERS}` });
  const names = new Map<string, number>();
  const combos = new Map<string, number>();
  const protocolOfPort = new Map<number, { protocol: string; i: number }>();
  const anyHttps = g.listeners.some((l) => l.protocol === "HTTPS");
  g.listeners.forEach((l, i) => {
    const sameName = names.get(l.name);
    if (sameName !== undefined) out.push({ path: at(i, "name"), message: `${l.name} is also listeners.${sameName}'s name`, expected: "a unique listener name" });
    else names.set(l.name, i);
    const combo = `${l.port}/${l.protocol}/${l.hostname ?? ""}`;
    const sameCombo = combos.get(combo);
    if (sameCombo !== undefined) {
      out.push({
        path: at(i),
        message: `port ${l.port}, ${l.protocol}, hostname ${l.hostname ?? "(any)"} is also listeners.${sameCombo}'s: the Gateway reports a ListenerConflict`,
        expected: "a distinct port, protocol or hostname per listener",
      });
    } else combos.set(combo, i);
    const onPort = protocolOfPort.get(l.port);
    if (onPort && onPort.protocol !== l.protocol) {
      out.push({ path: at(i, "protocol"), message: `port ${l.port} is ${onPort.protocol} on listeners.${onPort.i}: one port serves one protocol (ProtocolConflict)`, expected: `${onPort.protocol}, or another port` });
    } else if (!onPort) protocolOfPort.set(l.port, { protocol: l.protocol, i });
    if (l.protocol === "HTTPS") {
      if (!l.tls || !(l.tls.certificateRefs ?? []).length) {
        out.push({ path: at(i, "tls.certificateRefs"), message: "an HTTPS listener terminates TLS with a certificate", expected: "a Secret, e.g. [{ name: mcp-gateway-tls }]" });
      }
      if (l.tls?.mode === "Passthrough") {
        out.push({ path: at(i, "tls.mode"), message: "Passthrough is for protocol TLS (TLSRoutes): an HTTPS listener with HTTPRoutes terminates", expected: "Terminate" });
      }
    } else if (l.tls) {
      out.push({ path: at(i, "tls"), message: "an HTTP listener has no TLS", expected: "unset, or protocol HTTPS" });
    }
    const from = l.allowedRoutes?.from;
    if (from === "Selector" && !l.allowedRoutes?.selector) out.push({ path: at(i, "allowedRoutes.selector"), message: "missing", expected: "matchLabels of the namespaces whose routes it admits (the stack's included)" });
    if (from !== "Selector" && l.allowedRoutes?.selector) out.push({ path: at(i, "allowedRoutes.selector"), message: `only with from: Selector (from is ${from})`, expected: "unset, or from: Selector" });
    if (l.routes === "redirect" && (l.protocol !== "HTTP" || !anyHttps)) {
      out.push({ path: at(i, "routes"), message: l.protocol !== "HTTP" ? "only an HTTP listener redirects to HTTPS" : "no HTTPS listener to redirect to", expected: "serve or none" });
    }
  });
  const serving = g.listeners.filter((l) => listenerRoutes(l, g.listeners) === "serve");
  if (!serving.length) out.push({ path: "ingress.gatewayApi.listeners", message: "no listener serves the routes", expected: "at least one listener with routes: serve (the default for HTTPS)" });
  if (serving.length > MAX_PARENT_REFS) out.push({ path: "ingress.gatewayApi.listeners", message: `${serving.length} serving listeners: an HTTPRoute takes at most ${MAX_PARENT_REFS} parentRefs`, expected: `at most ${MAX_PARENT_REFS}, or wildcard listeners` });
  const servesTls = serving.some((l) => l.protocol === "HTTPS");
  if (serving.length && servesTls !== s.ingress.tls.enabled) {
    out.push({
      path: "ingress.tls.enabled",
      message: servesTls ? "the routes are served on an HTTPS listener, so the gateway's URL is https" : "no HTTPS listener serves the routes, so the gateway is reached over http",
      expected: String(servesTls),
    });
  }
  routeHosts(s).forEach((h, i) => {
    if (serving.length && !serving.some((l) => !l.hostname || hostnameMatches(l.hostname, h))) {
      out.push({
        path: i === 0 ? "ingress.host" : `ingress.additionalHosts.${s.ingress.additionalHosts.indexOf(h)}`,
        message: `no serving listener of ingress.gatewayApi.listeners accepts ${h}`,
        expected: "a listener whose hostname covers it (or has none)",
      });
    }
  });
  return out;
}
