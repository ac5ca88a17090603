// Gateway API: which implementation serves the stack's HTTPRoutes, the Gateway they attach to (the platform's,
// or one the stack renders), and where that implementation's proxies run, so the NetworkPolicies admit exactly them.
import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { ReferenceGrant } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant";
import type { IIoK8sSigsGatewayApiApisV1ParentReference as IParentReference } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ParentReference";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import { hostnameMatches } from "@mcp-stack/policy-engine";
import { DATA_PLANE_NOT_SELECTABLE, type Settings } from "../settings/schema.ts";
import { listenerRoutes, routeHosts } from "../settings/derived.ts";
import { metadata, stackLabels } from "./meta.ts";
import type { StackObject } from "./types.ts";
import { EXTERNAL_GRANTS_ANNOTATION } from "../../policy/annotations.ts";

const SOURCE = "scripts/stack/gateway-api.ts";
export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
/** The label GEP-1762 puts on the infrastructure an implementation provisions for a Gateway. */
export const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

export type ImplementationName = Settings["ingress"]["gatewayApi"]["implementation"];

/** Where an implementation's proxies send traffic to the backends from. */
export type DataPlane =
  /** Pods in `namespace` ("gateway": the Gateway's own namespace), selected by labels that may name the Gateway. */
  | { kind: "pods"; namespace: string | "gateway"; podLabels: (gw: GatewayRef) => Record<string, string> }
  /** Proxies outside the cluster's pods (cloud load balancers in IP mode): ipBlocks from ingress.sourceCidrs. */
  | { kind: "cidrs" }
  /** Not expressible as a Kubernetes NetworkPolicy peer: ingress.gatewayApi.dataPlane must say. */
  | { kind: "unknown"; why: string };

export interface Implementation {
  title: string;
  /** The GatewayClass its documented install creates (create mode's default gatewayClassName). */
  gatewayClassName: string;
  /** GatewayClass spec.controllerName, what preflight compares. */
  controllerName: string;
  dataPlane: DataPlane;
  /** For proxies in the Gateway's namespace: the control plane they fetch their configuration from. */
  controlPlane?: { namespace: string; port: number };
  /** How to install it (preflight remediation, README). */
  install: string;
  /** Where the namespace and labels come from. */
  source: string;
}

export interface GatewayRef {
  name: string;
  namespace: string;
}

/** The common implementations; `other` (and overrides) through ingress.gatewayApi.dataPlane. */
export const IMPLEMENTATIONS: Record<ImplementationName, Implementation> = {
  "envoy-gateway": {
    title: "Envoy Gateway",
    gatewayClassName: "eg",
    controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
    dataPlane: {
      kind: "pods",
      namespace: "envoy-gateway-system",
      podLabels: (gw) => ({
        "app.kubernetes.io/name": "envoy",
        "app.kubernetes.io/component": "proxy",
        "app.kubernetes.io/managed-by": "envoy-gateway",
        "gateway.envoyproxy.io/owning-gateway-name": gw.name,
        "gateway.envoyproxy.io/owning-gateway-namespace": gw.namespace,
      }),
    },
    install:
      "helm install eg oci://docker.io/envoyproxy/gateway-helm --version v1.7.0 -n envoy-gateway-system --create-namespace, then a GatewayClass eg (README: the minikube walk-through)",
    source: "envoyproxy/gateway internal/infrastructure/kubernetes/proxy testdata: envoy-<ns>-<hash> Deployments in envoy-gateway-system",
  },
  "nginx-gateway-fabric": {
    title: "NGINX Gateway Fabric",
    gatewayClassName: "nginx",
    controllerName: "gateway.nginx.org/nginx-gateway-controller",
    dataPlane: { kind: "pods", namespace: "gateway", podLabels: (gw) => ({ [GATEWAY_NAME_LABEL]: gw.name }) },
    controlPlane: { namespace: "nginx-gateway", port: 443 },
    install: "helm install ngf oci://ghcr.io/nginx/charts/nginx-gateway-fabric -n nginx-gateway --create-namespace",
    source: "docs.nginx.com nginx-gateway-fabric install/deploy-data-plane: an NGINX Deployment in the Gateway's namespace",
  },
  istio: {
    title: "Istio",
    gatewayClassName: "istio",
    controllerName: "istio.io/gateway-controller",
    dataPlane: { kind: "pods", namespace: "gateway", podLabels: (gw) => ({ [GATEWAY_NAME_LABEL]: gw.name }) },
    controlPlane: { namespace: "istio-system", port: 15012 },
    install: "istioctl install --set profile=minimal -y",
    source: "istio/istio gateway deployment template (automated deployment in the Gateway's namespace)",
  },
  cilium: {
    title: "Cilium",
    gatewayClassName: "cilium",
    controllerName: "io.cilium/gateway-controller",
    dataPlane: { kind: "unknown", why: DATA_PLANE_NOT_SELECTABLE.cilium },
    install: "cilium install --set kubeProxyReplacement=true --set gatewayAPI.enabled=true",
    source: "docs.cilium.io servicemesh default-deny-ingress-policy; cilium/cilium#25665 (the ingress entity)",
  },
  traefik: {
    title: "Traefik",
    gatewayClassName: "traefik",
    controllerName: "traefik.io/gateway-controller",
    dataPlane: { kind: "pods", namespace: "traefik", podLabels: () => ({ "app.kubernetes.io/name": "traefik" }) },
    install: "helm install traefik traefik/traefik -n traefik --create-namespace --set providers.kubernetesGateway.enabled=true",
    source: "traefik/traefik-helm-chart: release namespace, app.kubernetes.io/name=traefik",
  },
  "aws-load-balancer": {
    title: "AWS Load Balancer Controller (ALB, IP targets)",
    gatewayClassName: "alb",
    controllerName: "gateway.k8s.aws/alb",
    dataPlane: { kind: "cidrs" },
    install: "helm install aws-load-balancer-controller eks/aws-load-balancer-controller -n kube-system (with its Gateway API feature gate)",
    source: "kubernetes-sigs/aws-load-balancer-controller: IP targets are reached from the ALB's addresses in its subnets (ingress.sourceCidrs)",
  },
  other: {
    title: "another implementation",
    gatewayClassName: "",
    controllerName: "",
    dataPlane: { kind: "unknown", why: DATA_PLANE_NOT_SELECTABLE.other },
    install: "install your Gateway API implementation",
    source: "settings",
  },
};

export const usesGatewayApi = (s: Settings): boolean => s.ingress.enabled && s.ingress.kind === "gateway-api";
export const rendersGateway = (s: Settings): boolean => usesGatewayApi(s) && s.ingress.gatewayApi.mode === "create";
export const implementationOf = (s: Settings): Implementation => IMPLEMENTATIONS[s.ingress.gatewayApi.implementation];

/** The Gateway the routes attach to: the stack's own (create) or the platform's (attach). */
export function gatewayRef(s: Settings): GatewayRef {
  const g = s.ingress.gatewayApi.gateway;
  return { name: g.name, namespace: rendersGateway(s) ? s.namespace : (g.namespace ?? s.namespace) };
}

export const gatewayClassName = (s: Settings): string =>
  s.ingress.gatewayApi.gateway.className ?? implementationOf(s).gatewayClassName;

/** Default listener names of a Gateway the stack renders (the first host's; the n-th host's get "-n"). */
export const LISTENERS = { http: "http", https: "https" } as const;

/** What the stack attaches to a listener of its own Gateway: its routes, the HTTPS redirect, or nothing. */
export type ListenerRole = "serve" | "redirect" | "none";

export interface StackListener {
  name: string;
  port: number;
  protocol: "HTTP" | "HTTPS";
  hostname?: string;
  tls?: { mode: "Terminate" | "Passthrough"; certificateRefs: { name: string; namespace?: string }[] };
  allowedRoutes: { from: "Same" | "All" | "Selector"; selector?: { matchLabels: Record<string, string> } };
  routes: ListenerRole;
}

/**
 * The listeners of the Gateway the stack renders: ingress.gatewayApi.listeners when given, else per host an HTTP
 * listener on 80 and, with TLS, an HTTPS one on 443 terminating with ingress.tls.secretName (HTTP then only redirects).
 */
export function stackListeners(s: Settings): StackListener[] {
  const own = s.ingress.gatewayApi.listeners;
  if (own.length) {
    return own.map((l) => ({
      name: l.name,
      port: l.port,
      protocol: l.protocol,
      ...(l.hostname ? { hostname: l.hostname } : {}),
      ...(l.tls ? { tls: { mode: l.tls.mode, certificateRefs: l.tls.certificateRefs ?? [] } } : {}),
      allowedRoutes: l.allowedRoutes ?? { from: "Same" },
      routes: listenerRoutes(l, own),
    }));
  }
  const tls = s.ingress.tls.enabled;
  return routeHosts(s).flatMap((hostname, i): StackListener[] => {
    const suffix = i === 0 ? "" : `-${i + 1}`;
    const http: StackListener = { name: `${LISTENERS.http}${suffix}`, port: 80, protocol: "HTTP", hostname, allowedRoutes: { from: "Same" }, routes: tls ? "redirect" : "serve" };
    if (!tls) return [http];
    const certificateRefs = [{ name: s.ingress.tls.secretName }];
    return [http, { name: `${LISTENERS.https}${suffix}`, port: 443, protocol: "HTTPS", hostname, tls: { mode: "Terminate", certificateRefs }, allowedRoutes: { from: "Same" }, routes: "serve" }];
  });
}

/**
 * The parentRefs of a route. Rendered Gateway: every listener with that role (the routes serve on HTTPS when TLS
 * is on, HTTP only redirects). Attached: the configured listener, or none named (the Gateway decides).
 */
export function parentRefs(s: Settings, role: Exclude<ListenerRole, "none"> = "serve"): IParentReference[] {
  const ref = gatewayRef(s);
  const base: IParentReference = {
    group: GATEWAY_API_GROUP,
    kind: "Gateway",
    name: ref.name,
    ...(ref.namespace !== s.namespace ? { namespace: ref.namespace } : {}),
  };
  if (!rendersGateway(s)) {
    const sectionName = s.ingress.gatewayApi.gateway.sectionName;
    return [{ ...base, ...(sectionName ? { sectionName } : {}) }];
  }
  return stackListeners(s)
    .filter((l) => l.routes === role)
    .map((l) => ({ ...base, sectionName: l.name }));
}

/** The listener of the stack's Gateway that serves a host: the first serving one whose hostname admits it. */
export function listenerFor(s: Settings, host: string): StackListener | undefined {
  return stackListeners(s).find((l) => l.routes === "serve" && (!l.hostname || hostnameMatches(l.hostname, host)));
}

/** Peers the data plane connects to the backends from; [] when it cannot be said (settings loading refuses that). */
export function dataPlanePeers(s: Settings): INetworkPolicyPeer[] {
  const override = s.ingress.gatewayApi.dataPlane;
  const podSelector = (labels: Record<string, string>) => (Object.keys(labels).length ? { podSelector: { matchLabels: labels } } : {});
  const inNamespace = (namespace: string) => ({ "kubernetes.io/metadata.name": namespace });
  if (override.namespace) return [{ namespaceSelector: { matchLabels: inNamespace(override.namespace) }, ...podSelector(override.podLabels) }];
  const plane = implementationOf(s).dataPlane;
  if (plane.kind === "cidrs") return s.ingress.sourceCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  if (plane.kind === "unknown") return [];
  const gw = gatewayRef(s);
  const namespace = plane.namespace === "gateway" ? gw.namespace : plane.namespace;
  return [{ namespaceSelector: { matchLabels: inNamespace(namespace) }, ...podSelector({ ...plane.podLabels(gw), ...override.podLabels }) }];
}


/**
 * Certificates the stack's Gateway terminates with from other namespaces: their owner grants them with a ReferenceGrant
 * there, which the overlay cannot render (it puts everything in the stack's namespace); preflight checks it.
 */
export function foreignCertificates(s: Settings): { namespace: string; name: string }[] {
  if (!rendersGateway(s)) return [];
  const refs = stackListeners(s)
    .flatMap((l) => l.tls?.certificateRefs ?? [])
    .filter((r): r is { name: string; namespace: string } => Boolean(r.namespace) && r.namespace !== s.namespace);
  return [...new Map(refs.map((r) => [`${r.namespace}/${r.name}`, r])).values()];
}

/** The Gateway the stack owns, with its listeners (stackListeners). */
function stackGateway(s: Settings): Gateway {
  // The policy is told which foreign certificates are granted outside the manifests.
  const foreign = foreignCertificates(s).map((r) => `${r.namespace}/${r.name}`);
  return new Gateway({
    metadata: metadata(gatewayRef(s).name, stackLabels(s, "gateway-api"), s, foreign.length ? { [EXTERNAL_GRANTS_ANNOTATION]: foreign.join(",") } : {}),
    spec: {
      gatewayClassName: gatewayClassName(s),
      listeners: stackListeners(s).map((l) => ({
        name: l.name,
        protocol: l.protocol,
        port: l.port,
        ...(l.hostname ? { hostname: l.hostname } : {}),
        ...(l.tls
          ? {
              tls: {
                mode: l.tls.mode,
                ...(l.tls.certificateRefs.length
                  ? {
                      certificateRefs: l.tls.certificateRefs.map((r) => ({
                        group: "",
                        kind: "Secret",
                        name: r.name,
                        ...(r.namespace && r.namespace !== s.namespace ? { namespace: r.namespace } : {}),
                      })),
                    }
                  : {}),
              },
            }
          : {}),
        allowedRoutes: { namespaces: { from: l.allowedRoutes.from, ...(l.allowedRoutes.selector ? { selector: l.allowedRoutes.selector } : {}) } },
      })),
    },
  });
}

/**
 * A platform Gateway in another namespace terminating TLS with the stack's Secret needs the stack's permission:
 * a ReferenceGrant in the Secret's namespace for exactly that Secret.
 */
function certificateGrant(s: Settings): ReferenceGrant {
  const gw = gatewayRef(s);
  return new ReferenceGrant({
    metadata: metadata(`${gw.namespace}-${gw.name}-tls`.slice(0, 63).replace(/-+$/, ""), stackLabels(s, "gateway-api"), s),
    spec: {
      from: [{ group: GATEWAY_API_GROUP, kind: "Gateway", namespace: gw.namespace }],
      to: [{ group: "", kind: "Secret", name: s.ingress.tls.secretName }],
    },
  });
}


/** The Gateway API objects besides the routes: the Gateway and a ReferenceGrant (the data plane's policy: network.ts). */
export function gatewayApiObjects(s: Settings): StackObject[] {
  if (!usesGatewayApi(s)) return [];
  const out: StackObject[] = [];
  if (rendersGateway(s)) out.push({ object: stackGateway(s), source: SOURCE });
  if (!rendersGateway(s) && s.ingress.tls.enabled && gatewayRef(s).namespace !== s.namespace) {
    out.push({ object: certificateGrant(s), source: SOURCE });
  }
  return out;
}
