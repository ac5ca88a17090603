// The edge: how traffic reaches the gateway (`ingress.path`, default /) and the fast-time server (`fastTime.path`,
// its prefix replaced by / because the server serves /http, /sse and /health at its root). One list of routes,
// rendered either as Ingresses or as Gateway API HTTPRoutes (ingress.kind), plus the TLS certificate they share.
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import type { IIoK8sSigsGatewayApiApisV1HTTPRouteFilter as IHTTPRouteFilter } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteFilter";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { Settings } from "../settings/schema.ts";
import { metadata, stackLabels, workloadLabels, type Workload } from "./meta.ts";
import { dataPlanePolicy } from "./network.ts";
import { EXTERNAL_PARENTS_ANNOTATION } from "../../policy/annotations.ts";
import { gatewayApiObjects, gatewayRef, parentRefs, rendersGateway, stackListeners, usesGatewayApi } from "./gateway-api.ts";
import { routeHosts } from "../settings/derived.ts";
import type { StackObject } from "./types.ts";
import { FAST_TIME, fastTimeWorkload, GATEWAY, gatewayWorkload, routedWorkloads } from "./workloads.ts";

const SOURCE = "scripts/stack/routes.ts";

/** One route: a path prefix to a workload's Service port, optionally with the prefix replaced by /. */
export interface Route {
  workload: Workload;
  /** Service port (HTTPRoute backendRefs name a port number; Ingress uses the port's name "http"). */
  servicePort: number;
  /** The container port behind it (NetworkPolicy). */
  containerPort: number;
  path: string;
  stripPrefix: boolean;
}

/** What is routed, for these settings. */
export function routesOf(s: Settings): Route[] {
  if (!s.ingress.enabled) return [];
  const routes: Route[] = [
    { workload: gatewayWorkload(s), servicePort: GATEWAY.servicePort, containerPort: GATEWAY.port, path: s.ingress.path, stripPrefix: false },
  ];
  if (routedWorkloads(s).includes(FAST_TIME.name)) {
    routes.push({ workload: fastTimeWorkload(s), servicePort: 80, containerPort: FAST_TIME.port, path: s.fastTime.path, stripPrefix: true });
  }
  return routes;
}

/** Whether a workload is routed (its NetworkPolicy then admits the edge). */
export const isRouted = (s: Settings, name: string): boolean => routedWorkloads(s).includes(name);

export function routes(s: Settings): StackObject[] {
  const list = routesOf(s);
  if (!list.length) return [];
  const out: StackObject[] = [];
  const certificate = tlsCertificate(s);
  if (certificate) out.push({ object: certificate, source: SOURCE });
  // Each flavour is a Kustomize Component (components/ingress, components/gateway-api).
  if (usesGatewayApi(s)) {
    const objects: StackObject[] = [
      ...gatewayApiObjects(s),
      // The in-namespace data plane's policy, from the table in network.ts ("@edge" rows).
      ...[dataPlanePolicy(s)].filter((p) => p !== undefined).map((object) => ({ object, source: "scripts/stack/network.ts" })),
      ...list.map((r) => ({ object: httpRoute(s, r), source: SOURCE })),
      ...(rendersGateway(s) && parentRefs(s, "redirect").length ? [{ object: httpsRedirect(s), source: SOURCE }] : []),
    ];
    out.push(...objects.map((o) => ({ ...o, component: "gateway-api" as const })));
  } else {
    out.push(...list.map((r) => ({ object: ingress(s, r), source: SOURCE, component: "ingress" as const })));
  }
  return out;
}

/** cert-manager writes the TLS Secret both kinds terminate with. */
function tlsCertificate(s: Settings): Certificate | undefined {
  const { tls } = s.ingress;
  if (!tls.enabled || !tls.certificate.enabled) return undefined;
  return new Certificate({
    metadata: metadata(tls.secretName, stackLabels(s, "tls"), s),
    spec: {
      secretName: tls.secretName,
      dnsNames: routeHosts(s),
      issuerRef: { group: "cert-manager.io", kind: tls.certificate.issuerKind, name: tls.certificate.issuerName },
    },
  });
}

function httpRoute(s: Settings, r: Route): HTTPRoute {
  const rewrite: IHTTPRouteFilter[] = r.stripPrefix
    ? [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } } }]
    : [];
  // A platform Gateway is not in the render: the route says so, for the policy (httproute-parent-exists).
  const gw = gatewayRef(s);
  const external: Record<string, string> = rendersGateway(s) ? {} : { [EXTERNAL_PARENTS_ANNOTATION]: `${gw.namespace}/${gw.name}` };
  return new HTTPRoute({
    metadata: metadata(r.workload.name, workloadLabels(r.workload, s), s, external),
    spec: {
      parentRefs: parentRefs(s),
      hostnames: routeHosts(s),
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: r.path } }],
          ...(rewrite.length ? { filters: rewrite } : {}),
          // MCP clients hold SSE and streamable-HTTP streams open: a total request timeout would cut them.
          ...(s.ingress.gatewayApi.requestTimeout ? { timeouts: { request: s.ingress.gatewayApi.requestTimeout } } : {}),
          // Gateway API backendRefs to a Service name its port by number.
          backendRefs: [{ group: "", kind: "Service", name: r.workload.name, port: r.servicePort }],
        },
      ],
    },
  });
}

/** On the stack's own Gateway, plain HTTP only redirects to HTTPS (as force-ssl-redirect does for ingress-nginx). */
function httpsRedirect(s: Settings): HTTPRoute {
  const w = gatewayWorkload(s);
  // To the serving HTTPS listener's port when it is not the scheme's own.
  const httpsPort = stackListeners(s).find((l) => l.routes === "serve" && l.protocol === "HTTPS")?.port ?? 443;
  return new HTTPRoute({
    metadata: metadata(`${w.name}-https-redirect`, workloadLabels(w, s), s),
    spec: {
      parentRefs: parentRefs(s, "redirect"),
      hostnames: routeHosts(s),
      rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301, ...(httpsPort !== 443 ? { port: httpsPort } : {}) } }] }],
    },
  });
}

/** Tells Argo CD's Ingress health customization (README) not to wait for status.loadBalancer. */
export const LOAD_BALANCER_STATUS_ANNOTATION = "mcp-stack.dev/load-balancer-status";

/**
 * Controller-specific annotations: ingress-nginx timeouts and body size, an internet-facing ALB (its HTTPS listener's
 * ACM certificate by ARN: the ALB ignores tls.secretName), or none. Where the controller publishes no
 * status.loadBalancer (NodePort, hostNetwork), the Ingress says so for Argo CD's health check.
 */
export function ingressAnnotations(s: Settings): Record<string, string> {
  const byController: Record<Settings["ingress"]["controller"], Record<string, string>> = {
    "aws-load-balancer": {
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/healthcheck-path": "/health",
      ...(s.ingress.tls.enabled
        ? {
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
            "alb.ingress.kubernetes.io/ssl-redirect": "443",
            ...(s.ingress.certificateArn ? { "alb.ingress.kubernetes.io/certificate-arn": s.ingress.certificateArn } : {}),
          }
        : {}),
    },
    "ingress-nginx": {
      "nginx.ingress.kubernetes.io/proxy-body-size": "25m",
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "300",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "300",
      ...(s.ingress.tls.enabled ? { "nginx.ingress.kubernetes.io/force-ssl-redirect": "true" } : {}),
    },
    other: {},
  };
  const status: Record<string, string> = s.ingress.controllerPublishesStatus ? {} : { [LOAD_BALANCER_STATUS_ANNOTATION]: "not-published" };
  return { ...byController[s.ingress.controller], ...status, ...s.ingress.annotations };
}

/** An Ingress on the stack's host routing one path to a workload's `http` Service port, with TLS. */
function ingress(s: Settings, r: Route): Ingress {
  // Prefix stripping is ingress-nginx's regex rewrite (stack/workloads.ts routedWorkloads admits no other controller).
  const strip: Record<string, string> = r.stripPrefix
    ? { "nginx.ingress.kubernetes.io/use-regex": "true", "nginx.ingress.kubernetes.io/rewrite-target": "/$2" }
    : {};
  return new Ingress({
    metadata: metadata(r.workload.name, workloadLabels(r.workload, s), s, { ...ingressAnnotations(s), ...strip }),
    spec: {
      ingressClassName: s.ingress.className,
      // The ALB takes an ACM certificate (certificateArn or discovery by host), never a Secret.
      ...(s.ingress.tls.enabled
        ? { tls: [{ hosts: routeHosts(s), ...(s.ingress.controller === "aws-load-balancer" ? {} : { secretName: s.ingress.tls.secretName }) }] }
        : {}),
      // One rule per host, each with the same path.
      rules: routeHosts(s).map((host) => ({
        host,
        http: {
          paths: [
            {
              path: r.stripPrefix ? `${r.path}(/|$)(.*)` : r.path,
              pathType: r.stripPrefix ? "ImplementationSpecific" : "Prefix",
              backend: { service: { name: r.workload.name, port: { name: "http" } } },
            },
          ],
        },
      })),
    },
  });
}
