// The route rules beyond one violating and one passing case: external Gateways, cross-namespace references,
// allowedRoutes, wildcard host names, Ingresses behind a default deny, and the shipped overlays.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../policy/engine.ts";
import { hostnameMatches } from "@mcp-stack/policy-engine";
import { EXTERNAL_PARENTS_ANNOTATION } from "../../policy/annotations.ts";
import { renderEnv } from "../day2/helpers.ts";
import { gatewayApiGateway, goodSet, httpRoute, ingress, NS, routedSet, sources, type Obj } from "./fixtures.ts";

const findings = (objects: Obj[], rule?: string, profile = "production") =>
  evaluate(sources(objects), { profile }).findings.filter((f) => !rule || f.ruleId === rule).map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name}: ${f.message}`);

const without = (kind: string, set = routedSet()) => set.filter((o) => o.kind !== kind);

describe("route rules", () => {
  it("the routed compliant set is clean under production, every rule", () => {
    expect(findings(routedSet()).filter((f) => !f.startsWith("recommended-labels"))).toEqual([]);
  });

  it("a platform Gateway outside the render is fine when the route declares it external, and only then", () => {
    const external = httpRoute({ parentRefs: [{ name: "shared", namespace: "infra", sectionName: "https" }] }, "attached");
    expect(findings([...routedSet(), external], "httproute-parent-exists")).toEqual([
      "httproute-parent-exists HTTPRoute/attached: Gateway infra/shared is neither rendered nor declared external",
    ]);
    external.metadata.annotations = { [EXTERNAL_PARENTS_ANNOTATION]: "infra/shared" };
    expect(findings([...routedSet(), external], "httproute-parent-exists")).toEqual([]);
  });

  it("a listener that does not exist, or whose allowedRoutes refuses the route's namespace", () => {
    const noListener = httpRoute({ parentRefs: [{ name: "edge", sectionName: "grpc" }] }, "no-listener");
    const otherNs = { ...httpRoute({ parentRefs: [{ name: "edge", namespace: NS, sectionName: "https" }] }, "elsewhere"), metadata: { name: "elsewhere", namespace: "other" } };
    expect(findings([...routedSet(), noListener, otherNs], "httproute-parent-exists")).toEqual([
      "httproute-parent-exists HTTPRoute/no-listener: Gateway app/edge has no listener grpc",
      `httproute-parent-exists HTTPRoute/elsewhere: no selected listener of Gateway app/edge admits HTTPRoutes from namespace other (allowedRoutes)`,
    ]);
    const all = gatewayApiGateway();
    for (const l of all.spec.listeners) l.allowedRoutes = { namespaces: { from: "All" } };
    expect(findings([...without("Gateway"), all, otherNs], "httproute-parent-exists")).toEqual([]);
  });

  it("a backend in another namespace needs a ReferenceGrant there; a Service backend needs a port number", () => {
    const cross = httpRoute({ rules: [{ backendRefs: [{ name: "api", namespace: "backend", port: 80 }] }] }, "cross");
    const noPort = httpRoute({ rules: [{ backendRefs: [{ name: "web" }] }] }, "no-port");
    expect(findings([...routedSet(), cross, noPort], "httproute-backend-exists")).toEqual([
      "httproute-backend-exists HTTPRoute/cross: backendRef to Service backend/api crosses namespaces without a ReferenceGrant in backend",
      'httproute-backend-exists HTTPRoute/no-port: backendRef to Service "web" has no port number (required for a Service)',
    ]);
    const grant = {
      apiVersion: "gateway.networking.k8s.io/v1beta1",
      kind: "ReferenceGrant",
      metadata: { name: "from-app", namespace: "backend" },
      spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: NS }], to: [{ group: "", kind: "Service" }] },
    };
    expect(findings([...routedSet(), cross, grant], "httproute-backend-exists")).toEqual([]);
  });

  it("host names: IPs and ports are refused, wildcards match one label, the route must match its listener", () => {
    const ip = httpRoute({ hostnames: ["10.0.0.1"] }, "ip");
    const mismatch = httpRoute({ hostnames: ["other.example.org"] }, "mismatch");
    expect(findings([...routedSet(), ip, mismatch], "route-hostnames-valid")).toEqual([
      'route-hostnames-valid HTTPRoute/ip: host name "10.0.0.1" is an IP address (routes match host names, not addresses)',
      "route-hostnames-valid HTTPRoute/ip: no hostname of the route matches a listener hostname of Gateway app/edge",
      "route-hostnames-valid HTTPRoute/mismatch: no hostname of the route matches a listener hostname of Gateway app/edge",
    ]);
    expect(findings([...routedSet(), ingress({ rules: [{ host: "web.example.com:443" }] })], "route-hostnames-valid")).toHaveLength(1);
    expect(hostnameMatches("*.example.com", "web.example.com")).toBe(true);
    expect(hostnameMatches("*.example.com", "example.com")).toBe(false);
    expect(hostnameMatches("web.example.com", "*.example.com")).toBe(true);
  });

  it("plain HTTP serving a backend is reported; the dev profile switches listener-tls off", () => {
    const plain = httpRoute({ parentRefs: [{ name: "edge", sectionName: "http" }] }, "plain");
    expect(findings([...routedSet(), plain], "listener-tls")).toEqual(["listener-tls Gateway/edge: plain HTTP listener http serves plain (not only a redirect)"]);
    expect(findings([...routedSet(), plain], "listener-tls", "dev")).toEqual([]);
  });

  it("an Ingress whose backend pods admit nothing from outside their namespace is a dead route too", () => {
    expect(findings([...goodSet(), ingress()], "route-networkpolicy-path")).toEqual([
      "route-networkpolicy-path Ingress/web: Deployment web behind Service web admits no traffic from outside its namespace on port 8080: the route is dead",
    ]);
    const wrongPort = routedSet().map((o) => (o.kind === "NetworkPolicy" ? { ...o, spec: { ...o.spec, ingress: [{ ...o.spec.ingress[0], ports: [{ protocol: "TCP", port: 9090 }] }] } } : o));
    expect(findings(wrongPort, "route-networkpolicy-path")).toHaveLength(1);
  });

  it.each([["minikube", "dev"], ["manual-pv", "production"], ["eks", "production"], ["dev", "dev"]])("the shipped %s overlay has no route findings under its profile (%s)", async (env, profile) => {
    const objects = await renderEnv(env);
    const routeRules = ["httproute-backend-exists", "httproute-parent-exists", "route-hostnames-valid", "listener-tls", "route-networkpolicy-path"];
    expect(findings(objects, undefined, profile).filter((f) => routeRules.some((r) => f.startsWith(`${r} `)))).toEqual([]);
  });
});
