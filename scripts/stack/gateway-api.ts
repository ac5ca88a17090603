// Gateway API: which implementation serves the stack's HTTPRoutes, the Gateway they attach to (the platform's,
// or one the stack renders), and where that implementation's proxies run, so the NetworkPolicies admit exactly them.
import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { ReferenceGrant } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant";
import type { IIoK8sSigsGatewayApiApisV1ParentReference as IParentReference } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ParentReference";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import { DATA_PLANE_NOT_SELECTABLE, type Settings } from "../settings/schema.ts";
import { metadata, stackLabels } from "./meta.ts";
import type { StackObject } from "./types.ts";

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

/** Listener names of a Gateway the stack renders. */
export const LISTENERS = { http: "http", https: "https" } as const;

/**
 * The parentRef of a route. Rendered Gateway: the HTTPS listener when TLS is on (HTTP only redirects), else HTTP.
 * Attached: the configured listener, or none named (the Gateway decides which listeners admit the route).
 */
export function parentRef(s: Settings, listener?: keyof typeof LISTENERS): IParentReference {
  const ref = gatewayRef(s);
  const sectionName = rendersGateway(s)
    ? LISTENERS[listener ?? (s.ingress.tls.enabled ? "https" : "http")]
    : s.ingress.gatewayApi.gateway.sectionName;
  return {
    group: GATEWAY_API_GROUP,
    kind: "Gateway",
    name: ref.name,
    ...(ref.namespace !== s.namespace ? { namespace: ref.namespace } : {}),
    ...(sectionName ? { sectionName } : {}),
  };
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

/** The Gateway the stack owns: HTTP on 80 and, with TLS, HTTPS on 443 terminating with ingress.tls.secretName. */
function stackGateway(s: Settings): Gateway {
  const { host, tls } = s.ingress;
  const sameNamespace = { namespaces: { from: "Same" as const } };
  return new Gateway({
    metadata: metadata(gatewayRef(s).name, stackLabels(s, "gateway-api"), s),
    spec: {
      gatewayClassName: gatewayClassName(s),
      listeners: [
        { name: LISTENERS.http, protocol: "HTTP", port: 80, hostname: host, allowedRoutes: sameNamespace },
        ...(tls.enabled
          ? [
              {
                name: LISTENERS.https,
                protocol: "HTTPS",
                port: 443,
                hostname: host,
                tls: { mode: "Terminate" as const, certificateRefs: [{ group: "", kind: "Secret", name: tls.secretName }] },
                allowedRoutes: sameNamespace,
              },
            ]
          : []),
      ],
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
