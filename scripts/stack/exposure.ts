// How the stack is reached and spread: the generic Ingress shape (one path on the stack's host to a workload's
// `http` Service port, with the controller's annotations and TLS) and the zone/node spreading of the stateless,
// replicated workloads. The gateway and the fast-time server both use them; neither imports the other.
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import type { Settings } from "../settings/schema.ts";
import { metadata, selectorLabels, workloadLabels, type Workload } from "./meta.ts";

/** Zone then node spreading (ScheduleAnyway) when settings.gateway.spreadAcrossZones is on. */
export function replicatedSpread(s: Settings, name: string): ITopologySpreadConstraint[] {
  if (!s.gateway.spreadAcrossZones) return [];
  return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway" as const,
    labelSelector: { matchLabels: selectorLabels({ name }) },
  }));
}

/** Controller-specific annotations: ingress-nginx timeouts and body size, or an internet-facing ALB. */
export function ingressAnnotations(s: Settings): Record<string, string> {
  const base: Record<string, string> =
    s.ingress.controller === "aws-load-balancer"
      ? {
          "alb.ingress.kubernetes.io/scheme": "internet-facing",
          "alb.ingress.kubernetes.io/target-type": "ip",
          "alb.ingress.kubernetes.io/healthcheck-path": "/health",
          ...(s.ingress.tls.enabled
            ? {
                "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
                "alb.ingress.kubernetes.io/ssl-redirect": "443",
              }
            : {}),
        }
      : {
          "nginx.ingress.kubernetes.io/proxy-body-size": "25m",
          "nginx.ingress.kubernetes.io/proxy-read-timeout": "300",
          "nginx.ingress.kubernetes.io/proxy-send-timeout": "300",
          ...(s.ingress.tls.enabled ? { "nginx.ingress.kubernetes.io/force-ssl-redirect": "true" } : {}),
        };
  return { ...base, ...s.ingress.annotations };
}

export function ingressTls(s: Settings) {
  return s.ingress.tls.enabled ? { tls: [{ hosts: [s.ingress.host], secretName: s.ingress.tls.secretName }] } : {};
}

/**
 * An Ingress on the stack's host routing one path to a workload's `http` Service port, with the
 * controller's annotations and TLS. The gateway and the fast-time server both use it.
 */
export function ingressFor(
  w: Workload,
  s: Settings,
  route: { path: string; pathType: "Prefix" | "ImplementationSpecific"; annotations?: Record<string, string> },
): Ingress {
  return new Ingress({
    metadata: metadata(w.name, workloadLabels(w, s), s, { ...ingressAnnotations(s), ...route.annotations }),
    spec: {
      ingressClassName: s.ingress.className,
      ...ingressTls(s),
      rules: [
        {
          host: s.ingress.host,
          http: {
            paths: [
              {
                path: route.path,
                pathType: route.pathType,
                backend: { service: { name: w.name, port: { name: "http" } } },
              },
            ],
          },
        },
      ],
    },
  });
}
