// Every network flow the applications need, checked against the NetworkPolicies (both ends) and, for the
// gateway's outbound calls to MCP servers, against its SSRF settings; and every policy rule that no flow
// needs. The flows come from the stack's one table of who may talk to whom (scripts/stack/network.ts FLOWS, its
// rows between workloads, and to parties outside at their real addresses from data/app.yaml), from the rendered objects (Service hosts in env and URLs, Ingress backends and the
// chosen controller's data path, ServiceMonitors and Prometheus, DNS for every pod: a cross-check of the table
// against what the apps are configured to reach) and from data/app.yaml (the in-cluster MCP servers).
import type { Environment, Hit } from "./types.ts";
import { addressIn, cidrContains, type Endpoint, evaluateFlow, type RuleUse } from "./network.ts";
import { appOf, arr, containersOf, envOf, type Obj, podOf, rec, str } from "./model.ts";
// The Gateway API implementations' data planes (where their proxies connect from) are facts of the model.
import { gatewayRef, implementationOf } from "../stack/gateway-api.ts";
import { flowsIn, portsOf } from "../stack/network.ts";

interface Flow {
  from: Obj | "external";
  src: Endpoint;
  /** Several destinations: any one of them reachable is enough (DNS resolvers). */
  dst: Endpoint | Endpoint[];
  /** The workload receiving the flow (absent for destinations outside the namespace). */
  to?: Obj;
  port: number;
  protocol: string;
  what: string;
  /** A gateway call to an MCP server: SSRF settings apply. */
  ssrf?: string;
}

const podEndpoint = (o: Obj): Endpoint => {
  const pod = podOf(o)!;
  const ports = containersOf(pod, { init: false }).flatMap(({ c }) => arr(c.ports).map((p) => ({ name: str(rec(p).name), port: rec(p).containerPort as number })));
  return { type: "pod", namespace: o.namespace, labels: pod.labels, ports };
};

/** The pods behind a Service port, with the container port it forwards to. */
function serviceTargets(env: Environment, svc: Obj, port?: number): { to: Obj; port: number }[] {
  const spec = rec(svc.object.spec);
  const ports = arr(spec.ports).map(rec);
  const sp = port === undefined ? ports[0] : ports.find((p) => p.port === port || p.targetPort === port);
  if (!sp) return [];
  // A Service selector is a plain label map; the index takes a LabelSelector.
  return env.index.podsSelectedBy({ matchLabels: spec.selector }).map((to) => {
    const tp = sp.targetPort ?? sp.port;
    const named = typeof tp === "string" ? (podEndpoint(to) as { ports?: { name?: string; port: number }[] }).ports?.find((p) => p.name === tp)?.port : undefined;
    return { to, port: typeof tp === "number" ? tp : (named ?? 0) };
  });
}

/** Services named by a container's env: X_HOST=svc (port from X_PORT), host:port, or URLs. */
function envServiceRefs(env: Environment, vars: Map<string, string>): { svc: Obj; port?: number; via: string }[] {
  const refs: { svc: Obj; port?: number; via: string }[] = [];
  const svcName = (host: string) => host.replace(new RegExp(`\\.(${env.index.objects[0]?.namespace ?? ""})(\\.svc(\\.cluster\\.local)?)?$`), "");
  for (const [name, value] of vars) {
    const url = /^(?:[a-z+]+:\/\/)?(?:[^@/]*@)?([a-z0-9.-]+)(?::(\d+))?(?:[/?].*)?$/i.exec(value);
    if (!url) continue;
    const svc = env.index.get("Service", svcName(url[1]!));
    if (!svc) continue;
    let port = url[2] ? Number(url[2]) : undefined;
    if (port === undefined && name.endsWith("_HOST")) port = Number(vars.get(`${name.slice(0, -5)}_PORT`)) || undefined;
    if (port === undefined && /^https?:/.test(value)) port = value.startsWith("https") ? 443 : 80;
    refs.push({ svc, port, via: `${name}=${value}` });
  }
  return refs;
}

/** The resolvers of network.dnsPeers as endpoints (a peer's namespace by its kubernetes.io/metadata.name label). */
function dnsEndpoints(peers: readonly unknown[]): Endpoint[] {
  return peers.map((p): Endpoint => {
    const peer = rec(p);
    if (peer.ipBlock) return { type: "address", address: addressIn(str(rec(peer.ipBlock).cidr) ?? "", 0) };
    const ns = str(rec(rec(peer.namespaceSelector).matchLabels)["kubernetes.io/metadata.name"]) ?? "kube-system";
    return { type: "pod", namespace: ns, labels: rec(rec(peer.podSelector).matchLabels) as Record<string, string> };
  });
}

function neededFlows(env: Environment): Flow[] {
  const flows: Flow[] = [];
  const { settings, app } = env;
  const workloads = env.index.objects.filter((o) => podOf(o) !== undefined);
  for (const o of workloads) {
    const src = podEndpoint(o);
    // DNS, for every pod: to the resolvers the settings declare (network.dnsPeers); one of them suffices.
    flows.push({ from: o, src, dst: dnsEndpoints(settings.network.dnsPeers), port: 53, protocol: "UDP", what: "DNS" });
    const vars = new Map<string, string>();
    for (const { c } of containersOf(podOf(o)!)) for (const [k, v] of envOf(c, env.index.configMaps)) vars.set(k, v);
    for (const ref of envServiceRefs(env, vars)) {
      for (const t of serviceTargets(env, ref.svc, ref.port)) {
        if (t.to !== o) flows.push({ from: o, src, dst: podEndpoint(t.to), to: t.to, port: t.port, protocol: "TCP", what: `Service ${ref.svc.name} (${ref.via})` });
      }
    }
    // The table's rows from this workload to another one of the stack (outside parties are checked below).
    for (const f of flowsIn(settings).filter((f) => f.from.includes(appOf(o) ?? "") && !f.to.startsWith("@"))) {
      for (const to of env.index.podsSelectedBy({ matchLabels: { "app.kubernetes.io/name": f.to } })) {
        for (const p of portsOf(f, settings) ?? []) flows.push({ from: o, src, dst: podEndpoint(to), to, port: p.port, protocol: p.protocol, what: `${f.to}: ${f.why.split(" (")[0]}` });
      }
    }
    // The table's rows from this workload to a party outside the cluster, at that party's real address (app.yaml):
    // a policy whose CIDRs leave the real place out is found here, which the table alone cannot show.
    for (const f of flowsIn(settings).filter((f) => f.from.includes(appOf(o) ?? "") && app.outsideAddresses[f.to])) {
      const x = app.outsideAddresses[f.to]!;
      flows.push({ from: o, src, dst: { type: "address", address: x.address }, port: x.port, protocol: "TCP", what: x.what, ...(x.ssrf ? { ssrf: x.address } : {}) });
    }
    // The Kubernetes API, for pods whose ServiceAccount a RoleBinding grants something (network.apiServer).
    const sa = str(podOf(o)!.spec.serviceAccountName);
    const bound = sa !== undefined && env.index.ofKind("RoleBinding", "ClusterRoleBinding").some((b) => arr(b.object.subjects).some((x) => rec(x).kind === "ServiceAccount" && rec(x).name === sa));
    if (bound) {
      const api = settings.network.apiServer;
      flows.push({ from: o, src, dst: { type: "address", address: addressIn(api.cidrs[0]!, 1) }, port: api.ports[0]!, protocol: "TCP", what: `the Kubernetes API (ServiceAccount ${sa} is bound to a Role)` });
    }
    // In-cluster MCP servers the gateway federates (reached through their Service's ClusterIP).
    if (appOf(o) === "mcp-gateway" && o.kind === "Deployment") {
      for (const name of app.mcpServers) {
        const svc = env.index.get("Service", name);
        for (const t of svc ? serviceTargets(env, svc) : []) {
          flows.push({ from: o, src, dst: podEndpoint(t.to), to: t.to, port: t.port, protocol: "TCP", what: `MCP server ${name}`, ssrf: addressIn(settings.network.serviceCidrs[0]!) });
        }
      }
    }
  }
  // The ingress data path of the chosen controller.
  const ingressSource = (ing: Obj): Endpoint => {
    if (settings.ingress.controller === "aws-load-balancer") {
      if (ing.annotations["alb.ingress.kubernetes.io/target-type"] === "instance") return { type: "node" };
      const cidr = settings.ingress.sourceCidrs[0];
      return cidr ? { type: "address", address: addressIn(cidr) } : { type: "node" };
    }
    if (settings.ingress.controllerHostNetwork) return settings.ingress.nodeCidrs[0] ? { type: "address", address: addressIn(settings.ingress.nodeCidrs[0]) } : { type: "node" };
    return { type: "pod", namespace: settings.ingress.controllerNamespace, labels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" } };
  };
  for (const ing of env.index.ofKind("Ingress")) {
    for (const r of arr(rec(ing.object.spec).rules)) {
      for (const p of arr(rec(rec(r).http).paths)) {
        const b = rec(rec(rec(p).backend).service);
        const svc = env.index.get("Service", str(b.name) ?? "");
        const portNum = typeof rec(b.port).number === "number" ? (rec(b.port).number as number) : undefined;
        const portName = str(rec(b.port).name);
        const sp = svc ? arr(rec(svc.object.spec).ports).map(rec).find((x) => (portName ? x.name === portName : x.port === portNum)) : undefined;
        for (const t of svc && sp ? serviceTargets(env, svc, sp.port as number) : []) {
          flows.push({ from: "external", src: ingressSource(ing), dst: podEndpoint(t.to), to: t.to, port: t.port, protocol: "TCP", what: `the ingress data path (Ingress ${ing.name}, ${settings.ingress.controllerHostNetwork && settings.ingress.controller === "ingress-nginx" ? "controller on the host network" : settings.ingress.controller})` });
        }
      }
    }
  }
  // The Gateway API data path: the implementation's proxies to each HTTPRoute backend.
  const plane = implementationOf(settings).dataPlane;
  const override = settings.ingress.gatewayApi.dataPlane;
  const gw = gatewayRef(settings);
  const routeSource: Endpoint | undefined = override.namespace
    ? { type: "pod", namespace: override.namespace, labels: override.podLabels }
    : plane.kind === "pods"
      ? { type: "pod", namespace: plane.namespace === "gateway" ? gw.namespace : plane.namespace, labels: { ...plane.podLabels(gw), ...override.podLabels } }
      : plane.kind === "cidrs" && settings.ingress.sourceCidrs[0]
        ? { type: "address", address: addressIn(settings.ingress.sourceCidrs[0]) }
        : undefined;
  for (const route of env.index.ofKind("HTTPRoute", "GRPCRoute")) {
    for (const r of arr(rec(route.object.spec).rules)) {
      for (const b of arr(rec(r).backendRefs)) {
        const ref = rec(b);
        const svc = (str(ref.kind) ?? "Service") === "Service" ? env.index.get("Service", str(ref.name) ?? "") : undefined;
        for (const t of svc && routeSource ? serviceTargets(env, svc, typeof ref.port === "number" ? ref.port : undefined) : []) {
          flows.push({ from: "external", src: routeSource!, dst: podEndpoint(t.to), to: t.to, port: t.port, protocol: "TCP", what: `the Gateway API data path (${route.kind} ${route.name}, ${settings.ingress.gatewayApi.implementation})` });
        }
      }
    }
  }
  // Prometheus scraping what ServiceMonitors select.
  for (const sm of env.index.ofKind("ServiceMonitor")) {
    const spec = rec(sm.object.spec);
    const services = env.index.ofKind("Service").filter((s) => Object.keys(rec(rec(spec.selector).matchLabels)).length > 0 && Object.entries(rec(rec(spec.selector).matchLabels)).every(([k, v]) => s.labels[k] === v));
    for (const s of services) {
      for (const e of arr(spec.endpoints)) {
        const sp = arr(rec(s.object.spec).ports).map(rec).find((x) => x.name === str(rec(e).port));
        for (const t of sp ? serviceTargets(env, s, sp.port as number) : []) {
          flows.push({ from: "external", src: { type: "pod", namespace: settings.monitoring.prometheusNamespace, labels: settings.monitoring.prometheusPodLabels }, dst: podEndpoint(t.to), to: t.to, port: t.port, protocol: "TCP", what: `Prometheus scraping (ServiceMonitor ${sm.name})` });
        }
      }
    }
  }
  return flows;
}

const truthy = (v: string | undefined) => v !== undefined && ["1", "true", "yes", "on"].includes(v.toLowerCase());
const PRIVATE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** Does the gateway's SSRF protection let it connect to `address`? (mcpgateway/config.py:683-735) */
function ssrfAllows(vars: Map<string, string>, address: string): string | undefined {
  if (vars.has("SSRF_PROTECTION_ENABLED") && !truthy(vars.get("SSRF_PROTECTION_ENABLED"))) return undefined;
  const list = (v: string | undefined): string[] => {
    if (!v) return [];
    try {
      const parsed = JSON.parse(v) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      /* a comma-separated list */
    }
    return v.split(",").map((s) => s.trim()).filter(Boolean);
  };
  const blocked = vars.has("SSRF_BLOCKED_NETWORKS") ? list(vars.get("SSRF_BLOCKED_NETWORKS")) : ["169.254.0.0/16", "100.64.0.0/10"];
  if (blocked.some((c) => cidrContains(c, address))) return `${address} is in SSRF_BLOCKED_NETWORKS (config.py:688-703)`;
  if (!PRIVATE.some((c) => cidrContains(c, address))) return undefined;
  if (truthy(vars.get("SSRF_ALLOW_PRIVATE_NETWORKS"))) return undefined;
  if (list(vars.get("SSRF_ALLOWED_NETWORKS")).some((c) => cidrContains(c, address))) return undefined;
  return `${address} is a private address, SSRF_ALLOW_PRIVATE_NETWORKS is ${vars.get("SSRF_ALLOW_PRIVATE_NETWORKS") ?? "unset (false)"} and SSRF_ALLOWED_NETWORKS does not cover it (config.py:718-728)`;
}

const describeEndpoint = (e: Endpoint) =>
  e.type === "address"
    ? e.address
    : e.type === "node"
      ? "node addresses"
      : `${e.labels["app.kubernetes.io/name"] ? `${e.labels["app.kubernetes.io/name"]} pods` : `pods ${Object.entries(e.labels).map(([k, v]) => `${k}=${v}`).join(",")}`} in ${e.namespace}`;

export function flows(env: Environment): Hit[] {
  const hits: Hit[] = [];
  const policies = env.index.ofKind("NetworkPolicy");
  const namespaces = new Map(env.index.ofKind("Namespace").map((n) => [n.name, n.labels]));
  const nsLabels = (ns: string) => ({ ...(namespaces.get(ns) ?? {}), "kubernetes.io/metadata.name": ns });
  const used: RuleUse[] = [];
  const reported = new Set<string>();
  for (const f of neededFlows(env)) {
    const verdicts = (Array.isArray(f.dst) ? f.dst : [f.dst]).map((dst) => evaluateFlow(policies, f.src, dst, f.port, f.protocol, nsLabels));
    for (const x of verdicts) used.push(...x.uses);
    const v = verdicts.find((x) => x.egress.allowed && x.ingress.allowed) ?? verdicts[0]!;
    const blocked = [!v.egress.allowed && "egress of the source", !v.ingress.allowed && "ingress of the destination"].filter(Boolean);
    const reportOn = f.from !== "external" ? f.from : f.to!;
    if (blocked.length) {
      const key = `${reportOn.kind}/${reportOn.name}/${f.what}/${f.port}`;
      if (!reported.has(key)) {
        reported.add(key);
        const deniedBy = [...(!v.egress.allowed ? v.egress.policies : []), ...(!v.ingress.allowed ? v.ingress.policies : [])].map((p) => p.name);
        hits.push({
          rule: "flow-blocked",
          obj: reportOn,
          path: podOf(reportOn)?.path ?? "",
          message: `${f.from === "external" ? describeEndpoint(f.src) : `${reportOn.kind} ${reportOn.name}`} needs ${f.what} (${(Array.isArray(f.dst) ? f.dst : [f.dst]).map(describeEndpoint).join(" or ")}, ${f.protocol} ${f.port}), denied by the ${blocked.join(" and the ")} (NetworkPolicies ${[...new Set(deniedBy)].join(", ")})`,
        });
      }
    }
    if (f.ssrf && f.from !== "external") {
      const vars = envOf(containersOf(podOf(f.from)!, { init: false })[0]!.c, env.index.configMaps);
      const why = ssrfAllows(vars, f.ssrf);
      if (why) hits.push({ rule: "flow-ssrf", obj: f.from, path: podOf(f.from)!.path, message: `the gateway cannot reach ${f.what}: ${why}` });
    }
  }
  // Nothing allowed that nothing needs: every rule of every policy is used by some flow.
  for (const p of policies) {
    for (const direction of ["ingress", "egress"] as const) {
      arr(rec(p.object.spec)[direction]).forEach((rule, index) => {
        if (used.some((u) => u.policy === p && u.direction === direction && u.index === index)) return;
        const peers = arr(rec(rule)[direction === "egress" ? "to" : "from"]).map((x) => JSON.stringify(x)).join(", ") || "anyone";
        hits.push({ rule: "flow-unneeded", obj: p, path: `/spec/${direction}/${index}`, message: `${direction} rule ${index} (${peers}) allows what no application flow needs` });
      });
    }
  }
  return hits;
}
