// Routing matrix: every environment with either routing kind (Ingress or Gateway API) renders from the model,
// validates against the strict schemas (Gateway API and cert-manager CRDs included), routes the fast-time server
// with its prefix replaced by / wherever it is routed, and admits exactly the edge through the NetworkPolicies.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { parseSettings } from "../scripts/settings/load.ts";
import { DATA_PLANE_NOT_SELECTABLE } from "../scripts/settings/schema.ts";
import { buildStack } from "../scripts/stack/index.ts";
import { IMPLEMENTATIONS } from "../scripts/stack/gateway-api.ts";
import { plain } from "../scripts/generate/emit.ts";
import { validateDocuments } from "../scripts/validate/engine.ts";
import { listOverlays } from "../scripts/lib/overlays.ts";
import { OVERLAYS_DIR } from "../scripts/lib/paths.ts";
import { renderEnv } from "./day2/helpers.ts";
import { evaluate } from "../policy/engine.ts";

type Any = Record<string, any>;

function merge(a: Any, b: Any): Any {
  const out: Any = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = v && typeof v === "object" && !Array.isArray(v) && a[k] && typeof a[k] === "object" ? merge(a[k], v) : v;
  return out;
}

/** An environment's own settings.yaml with overrides; local credentials become existing Secrets (nothing to generate). */
function envSettings(env: string, overrides: Any) {
  const own = (parse(fs.readFileSync(path.join(OVERLAYS_DIR, env, "settings.yaml"), "utf8")) ?? {}) as Any;
  const merged = merge(merge(own, { credentials: { source: own.credentials?.source === "local" ? "existingSecrets" : own.credentials?.source } }), overrides);
  return parseSettings(stringify(merged), `overlays/${env}/settings.yaml (+ test overrides)`);
}

const render = (settings: ReturnType<typeof parseSettings>) => buildStack({ settings }).map((o) => plain(o.object) as Any);
const find = (objects: Any[], kind: string, name: string): Any => objects.find((o) => o.kind === kind && o.metadata.name === name) as Any;

/** The routing kind per environment: eks switches to the AWS Load Balancer Controller's Gateway API support. */
const KINDS: Record<string, Any> = {
  ingress: { ingress: { enabled: true, kind: "ingress" } },
  "gateway-api": { ingress: { enabled: true, kind: "gateway-api" } },
};
const perEnv = (env: string, kind: string): Any =>
  kind === "gateway-api" && env === "eks" ? { ingress: { gatewayApi: { implementation: "aws-load-balancer", mode: "create" } } } : {};

const cases = listOverlays().flatMap((env) => Object.keys(KINDS).map((kind) => [env, kind] as const));

describe.each(cases)("%s with routing kind %s", (env, kind) => {
  const settings = envSettings(env, merge(KINDS[kind]!, perEnv(env, kind)));
  const objects = render(settings);

  it.each(["1.36.2", "1.33.1"])("is valid against the strict schemas of Kubernetes %s, nothing skipped", async (kubernetesVersion) => {
    const content = objects.map((o) => stringify(o)).join("---\n");
    const report = await validateDocuments([{ filename: `${env}-${kind}.yaml`, content }], { kubernetesVersion, strict: true });
    expect(report.resources.filter((r) => r.status !== "statusValid").map((r) => `${r.kind}/${r.name}: ${r.msg}`)).toEqual([]);
    expect(report.summary.skipped).toBe(0);
  });

  it("routes the gateway at / and the fast-time server with its prefix replaced by /", () => {
    const routeKind = kind === "gateway-api" ? "HTTPRoute" : "Ingress";
    const other = kind === "gateway-api" ? "Ingress" : "HTTPRoute";
    expect(objects.filter((o) => o.kind === other)).toEqual([]);
    const gw = find(objects, routeKind, "mcp-gateway");
    const ft = find(objects, routeKind, "fast-time-server");
    expect(gw).toBeDefined();
    if (kind === "gateway-api") {
      expect(gw.spec.rules[0].matches).toEqual([{ path: { type: "PathPrefix", value: "/" } }]);
      expect(gw.spec.rules[0].backendRefs).toEqual([{ group: "", kind: "Service", name: "mcp-gateway", port: 80 }]);
      expect(ft.spec.rules[0].matches).toEqual([{ path: { type: "PathPrefix", value: "/fast-time" } }]);
      expect(ft.spec.rules[0].filters).toEqual([
        { type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } } },
      ]);
      expect(ft.spec.rules[0].backendRefs).toEqual([{ group: "", kind: "Service", name: "fast-time-server", port: 80 }]);
      expect(gw.spec.hostnames).toEqual([settings.ingress.host]);
      // no total request timeout: SSE and streamable-HTTP streams stay open (Envoy's default would end them at 15 s)
      expect([gw.spec.rules[0].timeouts, ft.spec.rules[0].timeouts]).toEqual([{ request: "0s" }, { request: "0s" }]);
    } else if (settings.ingress.controller === "ingress-nginx") {
      expect(ft.metadata.annotations["nginx.ingress.kubernetes.io/rewrite-target"]).toBe("/$2");
      expect(ft.spec.rules[0].http.paths[0].path).toBe("/fast-time(/|$)(.*)");
    } else {
      expect(ft).toBeUndefined(); // no portable prefix rewrite behind other Ingress controllers
    }
  });

  it("admits the edge to each routed workload, on its container port, and nothing else from outside", () => {
    const routed = objects.filter((o) => o.kind === "HTTPRoute" || o.kind === "Ingress");
    for (const route of routed) {
      const backend = route.kind === "HTTPRoute" ? route.spec.rules[0].backendRefs?.[0]?.name : route.spec.rules[0].http.paths[0].backend.service.name;
      if (!backend) continue; // the HTTPS redirect has no backend
      const policy = find(objects, "NetworkPolicy", backend);
      const fromOutside = policy.spec.ingress.filter((r: Any) => r.from.some((p: Any) => p.namespaceSelector || p.ipBlock));
      expect(fromOutside.length, `${backend}: one rule for the edge`).toBe(1);
      const port = find(objects, "Deployment", backend).spec.template.spec.containers[0].ports[0].containerPort;
      expect(fromOutside[0].ports).toEqual([{ protocol: "TCP", port }]);
    }
  });

  if (kind === "gateway-api") {
    it("attaches every route to a Gateway rendered here or declared in settings, on a listener that exists", () => {
      const gateways = objects.filter((o) => o.kind === "Gateway");
      for (const route of objects.filter((o) => o.kind === "HTTPRoute")) {
        for (const ref of route.spec.parentRefs) {
          if (settings.ingress.gatewayApi.mode === "attach") {
            expect(gateways).toEqual([]);
            expect(ref.name).toBe(settings.ingress.gatewayApi.gateway.name);
            continue;
          }
          const gw = gateways.find((g) => g.metadata.name === ref.name);
          expect(gw, `${route.metadata.name} -> ${ref.name}`).toBeDefined();
          expect(gw!.spec.listeners.map((l: Any) => l.name)).toContain(ref.sectionName);
        }
      }
    });
  }
});

describe("Gateway API settings", () => {
  const base = { ingress: { kind: "gateway-api", host: "mcp.example.com" } };
  const renderWith = (extra: Any) => render(parseSettings(stringify(merge(base, extra)), "variant.yaml"));

  it("a rendered Gateway with TLS: HTTPS listener with the Secret, routes on https, HTTP only redirects", () => {
    const objects = renderWith({ ingress: { gatewayApi: { mode: "create", implementation: "envoy-gateway" } } });
    const gw = find(objects, "Gateway", "mcp-stack");
    expect(gw.spec.gatewayClassName).toBe("eg");
    expect(gw.spec.listeners.map((l: Any) => [l.name, l.protocol, l.port])).toEqual([["http", "HTTP", 80], ["https", "HTTPS", 443]]);
    expect(gw.spec.listeners[1].tls).toEqual({ mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "mcp-gateway-tls" }] });
    expect(find(objects, "HTTPRoute", "mcp-gateway").spec.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "mcp-stack", sectionName: "https" }]);
    const redirect = find(objects, "HTTPRoute", "mcp-gateway-https-redirect");
    expect(redirect.spec.parentRefs[0].sectionName).toBe("http");
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }]);
    expect(objects.filter((o) => o.kind === "ReferenceGrant")).toEqual([]);
  });

  it("attaching to a platform Gateway in another namespace: parentRef with namespace and listener, a ReferenceGrant for the TLS Secret", () => {
    const objects = renderWith({ ingress: { gatewayApi: { gateway: { name: "shared", namespace: "infra", sectionName: "websecure" } } } });
    expect(objects.filter((o) => o.kind === "Gateway")).toEqual([]);
    expect(find(objects, "HTTPRoute", "mcp-gateway").spec.parentRefs).toEqual([
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "shared", namespace: "infra", sectionName: "websecure" },
    ]);
    const grant = find(objects, "ReferenceGrant", "infra-shared-tls");
    expect(grant.spec).toEqual({
      from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "infra" }],
      to: [{ group: "", kind: "Secret", name: "mcp-gateway-tls" }],
    });
    expect(grant.metadata.namespace).toBe("mcp");
  });

  it("requestTimeout: a duration on both routes, or \"\" for the implementation's default", () => {
    expect(find(renderWith({ ingress: { gatewayApi: { requestTimeout: "1h" } } }), "HTTPRoute", "fast-time-server").spec.rules[0].timeouts).toEqual({ request: "1h" });
    expect(find(renderWith({ ingress: { gatewayApi: { requestTimeout: "" } } }), "HTTPRoute", "mcp-gateway").spec.rules[0].timeouts).toBeUndefined();
    expect(() => parseSettings(stringify(merge(base, { ingress: { gatewayApi: { requestTimeout: "5 minutes" } } })), "variant.yaml")).toThrow(/a Gateway API duration/);
  });

  it("the optional cert-manager Certificate writes the TLS Secret, for either kind", () => {
    for (const kind of ["gateway-api", "ingress"]) {
      const objects = renderWith({ ingress: { kind, tls: { certificate: { enabled: true, issuerName: "letsencrypt-prod" } } } });
      expect(find(objects, "Certificate", "mcp-gateway-tls").spec).toEqual({
        secretName: "mcp-gateway-tls",
        dnsNames: ["mcp.example.com"],
        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "letsencrypt-prod" },
      });
    }
  });

  it.each([
    ["envoy-gateway", "create", { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "envoy-gateway-system" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy", "app.kubernetes.io/managed-by": "envoy-gateway", "gateway.envoyproxy.io/owning-gateway-name": "mcp-stack", "gateway.envoyproxy.io/owning-gateway-namespace": "mcp" } } }],
    ["nginx-gateway-fabric", "create", { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "mcp" } }, podSelector: { matchLabels: { "gateway.networking.k8s.io/gateway-name": "mcp-stack" } } }],
    ["istio", "attach", { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "mcp" } }, podSelector: { matchLabels: { "gateway.networking.k8s.io/gateway-name": "mcp-stack" } } }],
    ["traefik", "attach", { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } } }],
    ["aws-load-balancer", "create", { ipBlock: { cidr: "10.0.0.0/16" } }],
  ])("%s (%s): the NetworkPolicy peer is the implementation's data plane", (implementation, mode, peer) => {
    const objects = renderWith({ ingress: { sourceCidrs: ["10.0.0.0/16"], gatewayApi: { implementation, mode } } });
    expect(find(objects, "NetworkPolicy", "mcp-gateway").spec.ingress[0].from).toEqual([peer]);
  });

  it("proxies provisioned in the stack's namespace get their own NetworkPolicy: listener ports in, backends and control plane out", () => {
    const objects = renderWith({ ingress: { gatewayApi: { implementation: "nginx-gateway-fabric", mode: "create" } } });
    const np = find(objects, "NetworkPolicy", "mcp-stack-data-plane");
    expect(np.spec.podSelector).toEqual({ matchLabels: { "gateway.networking.k8s.io/gateway-name": "mcp-stack" } });
    expect(np.spec.ingress).toEqual([{ ports: [{ protocol: "TCP", port: 80 }, { protocol: "TCP", port: 443 }] }]);
    expect(np.spec.egress.map((r: Any) => r.ports[0].port)).toEqual([4444, 8080, 443]);
    expect(np.spec.egress[2].to).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "nginx-gateway" } } }]);
  });

  it("a data plane override replaces the table (the way to name cilium's or another implementation's proxies)", () => {
    const objects = renderWith({ ingress: { gatewayApi: { implementation: "cilium", dataPlane: { namespace: "edge", podLabels: { app: "proxy" } } } } });
    expect(find(objects, "NetworkPolicy", "fast-time-server").spec.ingress[1].from).toEqual([
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "edge" } }, podSelector: { matchLabels: { app: "proxy" } } },
    ]);
  });

  it.each([
    ["cilium without a data plane", { ingress: { gatewayApi: { implementation: "cilium" } } }, /ingress\.gatewayApi\.dataPlane\.namespace: missing: Cilium's per-node Envoy/],
    ["other without a class", { ingress: { gatewayApi: { implementation: "other", mode: "create", dataPlane: { namespace: "x" } } } }, /ingress\.gatewayApi\.gateway\.className: missing/],
    ["a namespace for a rendered Gateway", { ingress: { gatewayApi: { mode: "create", gateway: { namespace: "infra" } } } }, /gateway\.namespace: only for mode attach/],
    ["an AWS data plane without CIDRs", { ingress: { gatewayApi: { implementation: "aws-load-balancer" } } }, /ingress\.sourceCidrs/],
  ])("settings error: %s", (_name, extra, message) => {
    expect(() => parseSettings(stringify(merge(base, extra)), "variant.yaml")).toThrow(message);
  });

  it.each([
    ["create with TLS, a cert-manager Certificate and the HTTPS redirect", { ingress: { tls: { certificate: { enabled: true } }, gatewayApi: { mode: "create", implementation: "nginx-gateway-fabric" } } }, ["Certificate", "Gateway", "HTTPRoute", "NetworkPolicy"]],
    ["attach across namespaces with a ReferenceGrant", { ingress: { gatewayApi: { gateway: { name: "shared", namespace: "infra", sectionName: "websecure" } } } }, ["ReferenceGrant", "HTTPRoute"]],
  ])("%s: valid against the strict Gateway API and cert-manager CRD schemas", async (_name, extra, kinds) => {
    const objects = renderWith(extra);
    expect([...new Set(objects.map((o) => o.kind))]).toEqual(expect.arrayContaining(kinds));
    const content = objects.map((o) => stringify(o)).join("---\n");
    const report = await validateDocuments([{ filename: "variant.yaml", content }], { strict: true });
    expect(report.resources.filter((r) => r.status !== "statusValid").map((r) => `${r.kind}/${r.name}: ${r.msg}`)).toEqual([]);
    expect(report.summary.skipped).toBe(0);
    // and the route rules find nothing to say under production
    const sources = objects.map((object, i) => ({ object, file: "variant.yaml", line: i + 1 }));
    const routeRules = ["httproute-backend-exists", "httproute-parent-exists", "route-hostnames-valid", "listener-tls", "route-networkpolicy-path"];
    expect(evaluate(sources, { profile: "production" }).findings.filter((f) => routeRules.includes(f.ruleId)).map((f) => f.message)).toEqual([]);
  });

  it("the settings schema and the table of implementations agree on whose proxies no NetworkPolicy can select", () => {
    const unknown = Object.entries(IMPLEMENTATIONS).filter(([, i]) => i.dataPlane.kind === "unknown").map(([n]) => n).sort();
    expect(unknown).toEqual(Object.keys(DATA_PLANE_NOT_SELECTABLE).sort());
  });
});

describe("Ingress flavour", () => {
  it("another controller (Traefik, HAProxy, Contour...): its class, no controller-specific annotation, its namespace admitted, fast-time not routed", () => {
    const objects = render(parseSettings("ingress:\n  controller: other\n  className: traefik\n  controllerNamespace: traefik\n  annotations: { a.example/x: y }\n", "variant.yaml"));
    const ing = find(objects, "Ingress", "mcp-gateway");
    expect(ing.spec.ingressClassName).toBe("traefik");
    expect(ing.metadata.annotations).toEqual({ "a.example/x": "y", "argocd.argoproj.io/sync-wave": "2" });
    expect(find(objects, "Ingress", "fast-time-server")).toBeUndefined();
    expect(find(objects, "NetworkPolicy", "mcp-gateway").spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } } }]);
    expect(find(objects, "NetworkPolicy", "fast-time-server").spec.ingress).toHaveLength(1); // the gateway only
  });
});

describe("shipped overlays", () => {
  it("minikube and manual-pv route with Gateway API, eks with the ALB Ingress; the projection carries the routes", async () => {
    const kinds = async (env: string) => [...new Set((await renderEnv(env)).map((o) => o.kind))].filter((k) => ["Ingress", "HTTPRoute", "Gateway", "ReferenceGrant"].includes(k)).sort();
    expect(await kinds("minikube")).toEqual(["Gateway", "HTTPRoute"]);
    expect(await kinds("manual-pv")).toEqual(["HTTPRoute", "ReferenceGrant"]);
    expect(await kinds("eks")).toEqual(["Ingress"]);
    expect(await kinds("dev")).toEqual([]);
  });
});
