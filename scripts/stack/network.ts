// NetworkPolicies: the namespace denies everything by default; each component then declares who may
// reach it and whom it may reach, with these helpers. DNS egress (settings.network.dnsPeers) is allowed for every pod.
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { Settings } from "../settings/schema.ts";
import { metadata, selectorLabels, stackLabels, workloadLabels, type Workload } from "./meta.ts";
import type { StackObject } from "./types.ts";

const SOURCE = "scripts/stack/network.ts";

export const podPeer = (name: string): INetworkPolicyPeer => ({ podSelector: { matchLabels: selectorLabels({ name }) } });

/**
 * Where the ingress data path comes from: the controller's pods (by namespace); for a cloud load balancer its
 * subnets (ingress.sourceCidrs); for a hostNetwork controller the nodes (ingress.nodeCidrs), since pods on the host
 * network carry the node's address and no pod selector matches them. None without an Ingress.
 */
export function ingressControllerPeers(settings: Settings): INetworkPolicyPeer[] {
  if (!settings.ingress.enabled) return [];
  if (settings.ingress.controller === "aws-load-balancer") {
    return settings.ingress.sourceCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  }
  if (settings.ingress.controllerHostNetwork) return settings.ingress.nodeCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  return [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": settings.ingress.controllerNamespace } } }];
}

export interface Rule {
  peers: INetworkPolicyPeer[];
  ports?: number[];
}

const toRule = (r: Rule) => (r.ports ? { ports: r.ports.map((port) => ({ protocol: "TCP" as const, port })) } : {});

/** One workload's allowed traffic. Both directions are listed so the default deny covers the rest. */
export function workloadPolicy(
  w: Workload,
  settings: Settings,
  rules: { ingress?: Rule[]; egress?: Rule[]; name?: string; selectFrom?: string },
): NetworkPolicy {
  const ingress = (rules.ingress ?? []).filter((r) => r.peers.length);
  const egress = (rules.egress ?? []).filter((r) => r.peers.length);
  return new NetworkPolicy({
    metadata: metadata(rules.name ?? w.name, workloadLabels(w, settings), settings),
    spec: {
      podSelector: { matchLabels: selectorLabels({ name: rules.selectFrom ?? w.name }) },
      policyTypes: [...(rules.ingress ? ["Ingress" as const] : []), ...(rules.egress ? ["Egress" as const] : [])],
      ...(rules.ingress ? { ingress: ingress.map((r) => ({ from: r.peers, ...toRule(r) })) } : {}),
      ...(rules.egress ? { egress: egress.map((r) => ({ to: r.peers, ...toRule(r) })) } : {}),
    },
  });
}

/** Default deny in both directions, and DNS for every pod. */
export function namespacePolicies(settings: Settings): StackObject[] {
  const labels = stackLabels(settings, "network-policy");
  const denyAll = new NetworkPolicy({
    metadata: metadata("default-deny-all", labels, settings),
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  });
  const dns = new NetworkPolicy({
    metadata: metadata("allow-dns-egress", labels, settings),
    spec: {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          // settings.network.dnsPeers: kube-dns pods by default; node-local DNS (169.254.20.10) is an ipBlock.
          to: settings.network.dnsPeers.map((peer) => structuredClone(peer) as INetworkPolicyPeer),
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    },
  });
  return [denyAll, dns].map((object) => ({ object, source: SOURCE }));
}
