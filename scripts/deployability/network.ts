// NetworkPolicy semantics (Kubernetes networking.k8s.io/v1): is a connection from one endpoint to another
// on a port allowed by the egress policies of the source and the ingress policies of the destination?
// Endpoints are pods (namespace and labels), addresses (ipBlock peers), or nodes (host-network pods: their
// address is unknown here, so they match any ipBlock and no pod or namespace selector). Generic: it knows
// nothing about the stack.
import { arr, type Obj, rec, selectorMatches, str } from "./model.ts";

export type Endpoint =
  | { type: "pod"; namespace: string; labels: Record<string, string>; ports?: { name?: string; port: number }[] }
  | { type: "address"; address: string }
  | { type: "node" };

export interface Verdict {
  allowed: boolean;
  /** The policies that select the endpoint in that direction (none: not isolated, everything allowed). */
  policies: Obj[];
}

export interface RuleUse {
  policy: Obj;
  direction: "ingress" | "egress";
  index: number;
}

function ipToInt(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  return m.slice(1).reduce((n, x) => n * 256 + Number(x), 0);
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [net, bits] = cidr.split("/");
  const a = ipToInt(net ?? "");
  const b = ipToInt(ip);
  if (a === undefined || b === undefined) return false;
  const n = Number(bits);
  if (n === 0) return true;
  const mask = n >= 32 ? 0xffffffff : (~0 << (32 - n)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** The address `offset` hosts into a CIDR (a representative address of a range). */
export function addressIn(cidr: string, offset = 10): string {
  const base = ipToInt(cidr.split("/")[0] ?? "") ?? 0;
  const v = base + offset;
  return [24, 16, 8, 0].map((s) => (v >>> s) & 255).join(".");
}

function peerMatches(peer: unknown, policyNs: string, ep: Endpoint, nsLabels: (ns: string) => Record<string, string>): boolean {
  const p = rec(peer);
  if (p.ipBlock) {
    if (ep.type === "node") return true;
    if (ep.type !== "address") return false;
    const b = rec(p.ipBlock);
    return cidrContains(str(b.cidr) ?? "", ep.address) && !arr(b.except).some((e) => cidrContains(str(e) ?? "", ep.address));
  }
  if (ep.type !== "pod") return false;
  if (p.namespaceSelector !== undefined) {
    if (!selectorMatches(p.namespaceSelector, nsLabels(ep.namespace))) return false;
  } else if (ep.namespace !== policyNs) return false;
  return p.podSelector === undefined || selectorMatches(p.podSelector, ep.labels);
}

function portMatches(rulePorts: unknown, port: number, protocol: string, dst: Endpoint): boolean {
  const ports = arr(rulePorts);
  if (ports.length === 0) return true;
  return ports.some((rp) => {
    const r = rec(rp);
    if ((str(r.protocol) ?? "TCP") !== protocol) return false;
    if (r.port === undefined) return true;
    if (typeof r.port === "string") return dst.type === "pod" && (dst.ports ?? []).some((p) => p.name === r.port && p.port === port);
    const end = typeof r.endPort === "number" ? r.endPort : r.port;
    return port >= (r.port as number) && port <= (end as number);
  });
}

const selects = (policy: Obj, ep: Endpoint, type: "Ingress" | "Egress") => {
  if (ep.type !== "pod" || policy.namespace !== ep.namespace) return false;
  const spec = rec(policy.object.spec);
  const types = arr(spec.policyTypes).map((t) => str(t));
  const hasType = types.length ? types.includes(type) : type === "Ingress" || spec.egress !== undefined;
  return hasType && selectorMatches(spec.podSelector, ep.labels);
};

/** Whether `src` may connect to `dst` on port/protocol, and which policy rules allow it (each side). */
export function evaluateFlow(
  policies: readonly Obj[],
  src: Endpoint,
  dst: Endpoint,
  port: number,
  protocol: string,
  nsLabels: (ns: string) => Record<string, string>,
): { egress: Verdict; ingress: Verdict; uses: RuleUse[] } {
  const uses: RuleUse[] = [];
  const side = (direction: "egress" | "ingress"): Verdict => {
    const self = direction === "egress" ? src : dst;
    const other = direction === "egress" ? dst : src;
    const selecting = policies.filter((p) => selects(p, self, direction === "egress" ? "Egress" : "Ingress"));
    let allowed = selecting.length === 0;
    for (const p of selecting) {
      arr(rec(p.object.spec)[direction]).forEach((rule, index) => {
        const r = rec(rule);
        const peers = arr(r[direction === "egress" ? "to" : "from"]);
        const peerOk = peers.length === 0 || peers.some((peer) => peerMatches(peer, p.namespace, other, nsLabels));
        if (peerOk && portMatches(r.ports, port, protocol, dst)) {
          allowed = true;
          uses.push({ policy: p, direction, index });
        }
      });
    }
    return { allowed, policies: selecting };
  };
  return { egress: side("egress"), ingress: side("ingress"), uses };
}
