// Who may talk to whom: ONE table (FLOWS) from which every NetworkPolicy of the stack is built, the deployability
// analysis takes the flows it checks against the rendered policies, and the README's table is generated.
// The namespace denies everything by default; each row opens one connection, on the source's egress (in the
// source workload's own policy) and on the destination's ingress (in its own policy, or in the policy `admittedBy`
// names when an optional Component opens a base workload: base stays closed without the Component).
// Sources are the stack's workloads by name, or parties outside it ("@…", OUTSIDE below). Ports and peers come
// from the app where cited (IBM/mcp-context-forge v1.0.8 paths; images' own defaults otherwise).
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { Settings } from "../settings/schema.ts";
import { postSyncRuns } from "../settings/derived.ts";
import { metadata, selectorLabels, stackLabels, workloadLabels, type Workload } from "./meta.ts";
import { dataPlanePeers, gatewayRef, implementationOf, rendersGateway, stackListeners, usesGatewayApi } from "./gateway-api.ts";
import type { StackObject } from "./types.ts";
import {
  BACKUP,
  METRICS_TOKEN,
  FAST_TIME,
  GATEWAY,
  MIGRATION,
  PGADMIN,
  POST_SYNC,
  POSTGRES,
  POSTGRES_EXPORTER,
  REDIS,
  REDIS_COMMANDER,
  REDIS_EXPORTER,
  RESTORE,
  routedWorkloads,
} from "./workloads.ts";

const SOURCE = "scripts/stack/network.ts";

type Protocol = "TCP" | "UDP";
export interface Port {
  port: number;
  protocol: Protocol;
}
const tcp = (...ports: number[]): Port[] => ports.map((port) => ({ port, protocol: "TCP" }));

export interface Flow {
  /** Who connects: workload names, or outside parties ("@edge", …). */
  from: string[];
  /** Whom: a workload name or an outside party. */
  to: string;
  /** Destination ports, or the setting they come from; none = every port (the private networks the operator lists). */
  ports?: Port[] | { setting: string; of: (s: Settings) => Port[] };
  /** Why the connection exists, with the source of its port or peer. */
  why: string;
  /** In which settings the flow exists (always, when absent). */
  when?: (s: Settings) => boolean;
  /**
   * Admitted on the destination's side by a policy of its own, not the destination's (an optional Component opening a
   * base workload): `true` names it `<to>-from-<first source>` (admittingPolicyName); a string only for an exception.
   */
  admittedBy?: true | string;
}

/** The S3 endpoint's port: HTTPS, or the endpoint URL's own. */
function objectStorePort(s: Settings): number {
  const endpoint = s.backup.s3.endpoint ? new URL(s.backup.s3.endpoint) : undefined;
  return endpoint?.port ? Number(endpoint.port) : endpoint?.protocol === "http:" ? 80 : 443;
}

export const FLOWS: readonly Flow[] = [
  {
    from: ["@edge"],
    to: GATEWAY.name,
    ports: tcp(GATEWAY.port),
    why: "users and MCP clients through the Ingress controller or Gateway API data plane; the app listens on 4444 (mcpgateway/config.py:227, Containerfile:437)",
  },
  {
    from: [POST_SYNC.name],
    to: GATEWAY.name,
    ports: tcp(GATEWAY.port),
    why: "the post-sync Jobs: the smoke test (GET /health, /ready) and the fast-time registration (POST /gateways)",
    when: postSyncRuns,
  },
  {
    from: [GATEWAY.name, MIGRATION.name],
    to: POSTGRES.name,
    ports: tcp(POSTGRES.port),
    why: "DATABASE_URL (mcpgateway/config.py:234); the migration's db_isready.py and bootstrap_db; postgres:17 listens on 5432",
  },
  {
    from: [GATEWAY.name],
    to: REDIS.name,
    ports: tcp(REDIS.port),
    why: "CACHE_TYPE=redis: sessions, cache and cross-worker messages over REDIS_URL (mcpgateway/config.py:2875); redis listens on 6379",
  },
  {
    from: [GATEWAY.name],
    to: FAST_TIME.name,
    ports: tcp(FAST_TIME.port),
    why: "the gateway federates the in-cluster fast-time MCP server (-port=8080, charts/mcp-stack/values.yaml:1477-1483)",
    when: (s) => s.fastTime.enabled,
  },
  {
    from: [GATEWAY.name],
    to: "@internet",
    ports: { setting: "gateway.publicEgress.ports", of: (s) => tcp(...s.gateway.publicEgress.ports) },
    why: "MCP servers on the internet (gateway.publicEgress): every address but the non-public ranges; SSRF protection stays on (mcpgateway/config.py:683-735)",
    when: (s) => s.gateway.publicEgress.enabled,
  },
  {
    from: [GATEWAY.name],
    to: "@private-mcp-servers",
    why: "private MCP servers the operator lists (gateway.egressCidrs), the same networks as SSRF_ALLOWED_NETWORKS (settings/derived.ts ssrfAllowedNetworks)",
  },
  {
    from: ["@edge"],
    to: FAST_TIME.name,
    ports: tcp(FAST_TIME.port),
    why: "fast-time routed at fastTime.path (only where the edge can replace the prefix: routes.ts)",
    when: (s) => routedWorkloads(s).includes(FAST_TIME.name),
  },
  {
    from: [PGADMIN.name],
    to: POSTGRES.name,
    ports: tcp(POSTGRES.port),
    why: "pgAdmin administers the database (adminUIs.pgadmin)",
    admittedBy: true,
  },
  {
    from: [REDIS_COMMANDER.name],
    to: REDIS.name,
    ports: tcp(REDIS.port),
    why: "Redis Commander browses the cache (adminUIs.redisCommander)",
    admittedBy: true,
  },
  {
    from: ["@prometheus"],
    to: GATEWAY.name,
    ports: tcp(GATEWAY.port),
    why: "Prometheus scrapes /metrics/prometheus on the app's port (ServiceMonitor mcp-gateway)",
    admittedBy: true,
  },
  {
    from: ["@prometheus"],
    to: POSTGRES_EXPORTER.name,
    ports: tcp(POSTGRES_EXPORTER.port),
    why: "Prometheus scrapes postgres_exporter on 9187 (its default; charts/mcp-stack/values.yaml:1641)",
  },
  {
    from: [POSTGRES_EXPORTER.name],
    to: POSTGRES.name,
    ports: tcp(POSTGRES.port),
    why: "postgres_exporter reads pg_stat_* over DATA_SOURCE_URI",
    admittedBy: true,
  },
  {
    from: ["@prometheus"],
    to: REDIS_EXPORTER.name,
    ports: tcp(REDIS_EXPORTER.port),
    why: "Prometheus scrapes redis_exporter on 9121 (its default; charts/mcp-stack/values.yaml:1658)",
  },
  {
    from: [REDIS_EXPORTER.name],
    to: REDIS.name,
    ports: tcp(REDIS.port),
    why: "redis_exporter runs INFO over REDIS_ADDR",
    admittedBy: true,
  },
  {
    from: [METRICS_TOKEN.name],
    to: "@api-server",
    ports: { setting: "network.apiServer.ports", of: (s) => tcp(...s.network.apiServer.ports) },
    why: "the metrics-token Job creates and patches its Secret (Role mcp-metrics-token; network.apiServer)",
  },
  {
    from: [BACKUP.name, RESTORE.name],
    to: POSTGRES.name,
    ports: tcp(POSTGRES.port),
    why: "pg_dump and pg_restore",
    admittedBy: true,
  },
  {
    from: [BACKUP.name, RESTORE.name],
    to: "@object-store",
    ports: { setting: "443, or backup.s3.endpoint's port", of: (s) => tcp(objectStorePort(s)) },
    why: "the dump's upload and download (backup.target s3: backup.s3.egressCidrs, the endpoint's port)",
    when: (s) => s.backup.target === "s3",
  },
  {
    from: ["@every-pod"],
    to: "@dns",
    ports: [
      { port: 53, protocol: "UDP" },
      { port: 53, protocol: "TCP" },
    ],
    why: "name resolution of Service names (network.dnsPeers: kube-dns by default, node-local DNS as an ipBlock)",
  },
];

/** Where the ingress data path comes from (the "@edge" party). */
export function edgePeers(s: Settings): INetworkPolicyPeer[] {
  if (!s.ingress.enabled) return [];
  return usesGatewayApi(s) ? dataPlanePeers(s) : ingressControllerPeers(s);
}

/**
 * The Ingress controller's pods (by namespace); for a cloud load balancer its subnets (ingress.sourceCidrs); for a
 * hostNetwork controller the nodes (ingress.nodeCidrs), since pods on the host network carry the node's address and
 * no pod selector matches them.
 */
function ingressControllerPeers(s: Settings): INetworkPolicyPeer[] {
  if (s.ingress.controller === "aws-load-balancer") return s.ingress.sourceCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  if (s.ingress.controllerHostNetwork) return s.ingress.nodeCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  return [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": s.ingress.controllerNamespace } } }];
}

/** Prometheus's pods: its namespace, narrowed by pod labels when settings name them. */
export function prometheusPeer(s: Settings): INetworkPolicyPeer {
  const m = s.monitoring;
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": m.prometheusNamespace } },
    ...(Object.keys(m.prometheusPodLabels).length ? { podSelector: { matchLabels: { ...m.prometheusPodLabels } } } : {}),
  };
}

const cidrPeers = (cidrs: readonly string[]): INetworkPolicyPeer[] => cidrs.map((cidr) => ({ ipBlock: { cidr } }));

/** The parties outside the stack's workloads, as NetworkPolicy peers (undefined: anyone). */
export const OUTSIDE: Record<string, { what: string; peers: (s: Settings) => INetworkPolicyPeer[] | undefined }> = {
  "@edge": { what: "the Ingress controller or Gateway API data plane", peers: edgePeers },
  "@prometheus": { what: "Prometheus (monitoring.prometheusNamespace, prometheusPodLabels)", peers: (s) => [prometheusPeer(s)] },
  "@internet": {
    what: "public addresses (0.0.0.0/0 but gateway.publicEgress.except)",
    peers: (s) => [{ ipBlock: { cidr: "0.0.0.0/0", except: [...s.gateway.publicEgress.except] } }],
  },
  "@private-mcp-servers": { what: "gateway.egressCidrs", peers: (s) => cidrPeers(s.gateway.egressCidrs) },
  "@api-server": { what: "the Kubernetes API (network.apiServer.cidrs)", peers: (s) => cidrPeers(s.network.apiServer.cidrs) },
  "@object-store": { what: "S3 (backup.s3.egressCidrs)", peers: (s) => cidrPeers(s.backup.s3.egressCidrs) },
  "@dns": { what: "DNS (network.dnsPeers)", peers: (s) => s.network.dnsPeers.map((p) => structuredClone(p) as INetworkPolicyPeer) },
  "@every-pod": { what: "every pod of the namespace", peers: () => [{ podSelector: {} }] },
  "@anyone": { what: "anyone", peers: () => undefined },
};

const peersOf = (party: string, s: Settings): INetworkPolicyPeer[] | undefined =>
  party.startsWith("@") ? OUTSIDE[party]!.peers(s) : [{ podSelector: { matchLabels: selectorLabels({ name: party }) } }];

/** The NetworkPolicy that admits a flow on the destination's side: the destination's own, or the one `admittedBy` says. */
export const admittingPolicyName = (f: Flow): string =>
  f.admittedBy === undefined ? f.to : f.admittedBy === true ? `${f.to}-from-${f.from[0]!.replace(/^@/, "")}` : f.admittedBy;

/** The table's rows that exist in these settings. */
export const flowsIn = (s: Settings): Flow[] => FLOWS.filter((f) => !f.when || f.when(s));

type Rule = { peers: INetworkPolicyPeer[] | undefined; ports?: Port[] };
const asRule = (side: "from" | "to", r: Rule) => ({
  ...(r.peers ? { [side]: r.peers } : {}),
  ...(r.ports ? { ports: r.ports.map((p) => ({ protocol: p.protocol, port: p.port })) } : {}),
});
// An empty peer list would admit everyone: such a rule (no controller, no CIDRs listed) is left out.
const kept = (rules: Rule[]) => rules.filter((r) => r.peers === undefined || r.peers.length > 0);

function policy(name: string, labels: Record<string, string>, podSelector: Record<string, unknown>, s: Settings, ingress?: Rule[], egress?: Rule[]) {
  return new NetworkPolicy({
    metadata: metadata(name, labels, s),
    spec: {
      podSelector,
      policyTypes: [...(ingress ? ["Ingress" as const] : []), ...(egress ? ["Egress" as const] : [])],
      ...(ingress ? { ingress: kept(ingress).map((r) => asRule("from", r)) } : {}),
      ...(egress ? { egress: kept(egress).map((r) => asRule("to", r)) } : {}),
    },
  });
}

/** A flow's ports in these settings (undefined: every port). */
export const portsOf = (f: Flow, s: Settings): Port[] | undefined => (Array.isArray(f.ports) ? f.ports : f.ports?.of(s));
const inbound = (flows: Flow[], s: Settings): Rule[] => flows.map((f) => ({ peers: f.from.flatMap((p) => peersOf(p, s) ?? []), ports: portsOf(f, s) }));
const outbound = (flows: Flow[], s: Settings): Rule[] => flows.map((f) => ({ peers: peersOf(f.to, s), ports: portsOf(f, s) }));

/** A workload's own policy: what the table lets in (not admitted elsewhere) and out, both directions isolated. */
export function workloadPolicy(w: Workload, s: Settings): NetworkPolicy {
  const flows = flowsIn(s);
  return policy(
    w.name,
    workloadLabels(w, s),
    { matchLabels: selectorLabels(w) },
    s,
    inbound(flows.filter((f) => f.to === w.name && !f.admittedBy), s),
    outbound(flows.filter((f) => f.from.includes(w.name)), s),
  );
}

/** The ingress side of the flows an optional Component opens from `source` into a base workload (`w`), under the name the table gives. */
export function admittingPolicy(source: string, w: Workload, s: Settings): NetworkPolicy {
  const separate = flowsIn(s).filter((f) => f.admittedBy);
  const row = separate.find((f) => f.to === w.name && f.from.includes(source));
  if (!row) throw new Error(`no row of FLOWS admits ${source} -> ${w.name} in a policy of its own`);
  const name = admittingPolicyName(row);
  return policy(name, workloadLabels(w, s), { matchLabels: selectorLabels(w) }, s, inbound(separate.filter((f) => admittingPolicyName(f) === name), s));
}

/** Default deny in both directions, and the "@every-pod" rows (DNS) for every pod. */
export function namespacePolicies(s: Settings): StackObject[] {
  const labels = stackLabels(s, "network-policy");
  const denyAll = new NetworkPolicy({ metadata: metadata("default-deny-all", labels, s), spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } });
  const dns = policy("allow-dns-egress", labels, {}, s, undefined, outbound(flowsIn(s).filter((f) => f.from.includes("@every-pod")), s));
  return [denyAll, dns].map((object) => ({ object, source: SOURCE }));
}

/**
 * Proxies provisioned in the Gateway's namespace (NGINX Gateway Fabric, Istio) are the "@edge" party inside the
 * namespace's default deny: they get the listener ports in (gateway-api.ts stackListeners), the "@edge" rows out, and their control plane.
 */
export function dataPlanePolicy(s: Settings): NetworkPolicy | undefined {
  const impl = implementationOf(s);
  const plane = impl.dataPlane;
  if (!rendersGateway(s) || s.ingress.gatewayApi.dataPlane.namespace || plane.kind !== "pods" || plane.namespace !== "gateway") return undefined;
  const gw = gatewayRef(s);
  const control: Rule[] = impl.controlPlane
    ? [{ peers: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": impl.controlPlane.namespace } } }], ports: tcp(impl.controlPlane.port) }]
    : [];
  return policy(
    `${gw.name}-data-plane`,
    stackLabels(s, "gateway-api"),
    { matchLabels: plane.podLabels(gw) },
    s,
    [{ peers: undefined, ports: tcp(...new Set(stackListeners(s).map((l) => l.port))) }],
    [...outbound(flowsIn(s).filter((f) => f.from.includes("@edge")), s), ...control],
  );
}

/** The table as markdown, for the README (generated between its network-flows markers). */
export function flowsTable(): string {
  const party = (p: string) => (p.startsWith("@") ? OUTSIDE[p]!.what : `\`${p}\``);
  const ports = (f: Flow) =>
    !f.ports ? "any" : Array.isArray(f.ports) ? f.ports.map((p) => `${p.port}${p.protocol === "UDP" ? "/udp" : ""}`).join(", ") : f.ports.setting;
  const rows = FLOWS.map((f) => `| ${f.from.map(party).join(", ")} | ${party(f.to)} | ${ports(f)} | ${f.why}${f.admittedBy ? ` (admitted by \`${admittingPolicyName(f)}\`)` : ""} |`);
  return ["| from | to | port | why |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
