// Gateway API against the stand-in cluster: preflight (CRDs, GatewayClass, the platform's Gateway and its
// allowedRoutes) and verify (route status conditions, the stack's Gateway, /health through the route).
import { describe, expect, it } from "vitest";
import { byId, failed, makeFakeKubectl, preflight, standInEdge, verify } from "./helpers.ts";
import { scenario } from "./scenarios.ts";
import type { Target } from "../../scripts/cluster/target.ts";
import { HTTPROUTE_HEALTH } from "../../scripts/stack/argocd-health.ts";

const fake = makeFakeKubectl();
const ids = (results: { id: string; status: string }[], prefix: string) => results.filter((r) => r.id.startsWith(prefix)).map((r) => `${r.id} ${r.status}`);

describe("preflight with Gateway API", () => {
  it("minikube (renders its Gateway): the CRDs and GatewayClass eg accepted by Envoy Gateway; no Gateway to attach to", async () => {
    const results = await preflight(fake, "minikube", scenario());
    expect(failed(results)).toEqual([]);
    expect(ids(results, "gateway-api-crds/")).toEqual([
      "gateway-api-crds/gatewayclasses.gateway.networking.k8s.io pass",
      "gateway-api-crds/gateways.gateway.networking.k8s.io pass",
      "gateway-api-crds/httproutes.gateway.networking.k8s.io pass",
    ]);
    expect(byId(results, "gateway-class/eg").detail).toBe("GatewayClass eg Accepted (gateway.envoyproxy.io/gatewayclass-controller)");
    expect(results.some((r) => r.id === "gateway")).toBe(false);
    expect(results.some((r) => r.id.startsWith("ingress"))).toBe(false);
  });

  it("manual-pv (attaches): the platform's Gateway, its https listener admitting namespace mcp, and its class", async () => {
    const results = await preflight(fake, "manual-pv", scenario());
    expect(failed(results)).toEqual([]);
    expect(byId(results, "gateway").detail).toBe("Gateway gateway-system/platform-gateway Programmed; listener https admits mcp");
    expect(fake.commands()).toContain("get gateways.gateway.networking.k8s.io platform-gateway -n gateway-system -o json");
    expect(byId(results, "gateway-class/eg").status).toBe("pass");
  });

  it("a listener admitting only its own namespace, a missing Gateway, a missing class, missing CRDs", async () => {
    const same = await preflight(fake, "manual-pv", scenario("platformGatewaySameNamespace"));
    expect(failed(same)).toEqual(["gateway"]);
    expect(byId(same, "gateway").detail).toBe("no listener of gateway-system/platform-gateway admits HTTPRoutes from mcp: https admits routes from its own namespace gateway-system only");
    const missing = await preflight(fake, "manual-pv", scenario("platformGatewayMissing"));
    expect(failed(missing)).toEqual(["gateway"]);
    expect(byId(missing, "gateway").remediation).toContain("ingress.gatewayApi.mode create");
    const noClass = await preflight(fake, "minikube", scenario("noGatewayClass"));
    expect(failed(noClass)).toEqual(["gateway-class/eg"]);
    expect(byId(noClass, "gateway-class/eg").remediation).toContain("helm install eg oci://docker.io/envoyproxy/gateway-helm");
    const noCrds = await preflight(fake, "minikube", scenario("noGatewayApiCrds"));
    expect(failed(noCrds)).toEqual([
      "gateway-api-crds/gatewayclasses.gateway.networking.k8s.io",
      "gateway-api-crds/gateways.gateway.networking.k8s.io",
      "gateway-api-crds/httproutes.gateway.networking.k8s.io",
      "crd/gateways.gateway.networking.k8s.io",
      "crd/httproutes.gateway.networking.k8s.io",
    ]);
  });

  it("Argo CD's HTTPRoute health: the stack's customization, a 3.3+ controller, an older one, another script", async () => {
    expect(byId(await preflight(fake, "manual-pv", scenario()), "argocd-httproute-health").detail).toBe(`argocd-cm ${HTTPROUTE_HEALTH.key} is the stack's`);
    const without = (image: string | undefined, lua?: string) => [
      { match: "^get configmap argocd-cm -n argocd -o json$", json: { data: lua ? { [HTTPROUTE_HEALTH.key]: lua } : {} } },
      ...(image ? [{ match: "^get statefulset argocd-application-controller -n argocd -o json$", json: { spec: { template: { spec: { containers: [{ image }] } } } } }] : []),
      ...scenario(),
    ];
    const check = async (rules: ReturnType<typeof without>) => byId(await preflight(fake, "manual-pv", rules), "argocd-httproute-health");
    expect(await check(without("quay.io/argoproj/argocd:v3.3.2"))).toMatchObject({ status: "pass", detail: expect.stringContaining("v3.3.2 has HTTPRoute health built in") });
    expect(await check(without("quay.io/argoproj/argocd:v3.2.5"))).toMatchObject({ status: "warn", detail: expect.stringContaining("v3.2.5 has no HTTPRoute health") });
    expect((await check(without(undefined))).detail).toContain("cannot tell Argo CD's version");
    expect(await check(without("quay.io/argoproj/argocd:v3.2.5", "hs = {}\nreturn hs"))).toMatchObject({ status: "warn", detail: expect.stringContaining("differs from the stack's") });
    // not delivered by Argo CD (minikube): not asked
    expect((await preflight(fake, "minikube", scenario())).some((r) => r.id === "argocd-httproute-health")).toBe(false);
  });

  it("a listener's certificate in another namespace needs a ReferenceGrant there for the stack's Gateways", async () => {
    const crossCert = (t: Target): Target => ({
      ...t,
      settings: {
        ...t.settings,
        ingress: {
          ...t.settings.ingress,
          gatewayApi: { ...t.settings.ingress.gatewayApi, listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: [{ name: "wildcard", namespace: "certs" }] } }] },
        },
      },
    });
    const grant = (fromNamespace: string, name?: string) => ({
      match: "^get referencegrants.gateway.networking.k8s.io -n certs -o json$",
      json: { items: [{ metadata: { name: "gateways-mcp" }, spec: { from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: fromNamespace }], to: [{ group: "", kind: "Secret", ...(name ? { name } : {}) }] } }] },
    });
    const granted = await preflight(fake, "minikube", [grant("mcp", "wildcard"), ...scenario()], crossCert);
    expect(byId(granted, "listener-certificate-grants/certs/wildcard")).toMatchObject({ status: "pass", detail: "Secret certs/wildcard: ReferenceGrant gateways-mcp lets Gateways of mcp read it" });
    expect(byId(await preflight(fake, "minikube", [grant("mcp"), ...scenario()], crossCert), "listener-certificate-grants/certs/wildcard").status).toBe("pass");
    const otherNs = byId(await preflight(fake, "minikube", [grant("other", "wildcard"), ...scenario()], crossCert), "listener-certificate-grants/certs/wildcard");
    expect(otherNs.status).toBe("fail");
    expect(otherNs.remediation).toContain("to [{ group: \"\", kind: Secret, name: wildcard }]");
    expect(byId(await preflight(fake, "minikube", scenario(), crossCert), "listener-certificate-grants/certs/wildcard").status).toBe("fail");
    expect((await preflight(fake, "minikube", scenario())).some((r) => r.id.startsWith("listener-certificate-grants"))).toBe(false);
  });

  it("a GatewayClass served by another implementation than settings say is a warning naming the setting", async () => {
    const results = await preflight(fake, "minikube", scenario("classOfAnotherController"));
    expect(byId(results, "gateway-class/eg").status).toBe("warn");
    expect(byId(results, "gateway-class/eg").remediation).toContain("ingress.gatewayApi.implementation");
  });
});

describe("verify with Gateway API", () => {
  // Plays the Gateway's data plane: answers per Host header and path, as a proxy with the two routes would.
  const edge = standInEdge(["gateway.local", "alias.local"]);

  it("minikube: every route Accepted with ResolvedRefs, the Gateway Programmed (no address yet: a warning, nothing fetched)", async () => {
    const results = await verify(fake, "minikube", scenario());
    expect(failed(results)).toEqual([]);
    expect(byId(results, "route/mcp-gateway").detail).toBe("mcp-gateway: Accepted, ResolvedRefs on 1 parent(s)");
    expect(byId(results, "route/fast-time-server").status).toBe("pass");
    expect(byId(results, "gateway-programmed").status).toBe("warn");
    expect(byId(results, "route-health").detail).toContain("publishes no address");
  });

  it("a route its listener refuses fails with the controller's reason", async () => {
    const argo = { match: "^get application \\S+ -n argocd -o json$", json: { status: { sync: { status: "Synced" }, health: { status: "Healthy" } } } };
    const results = await verify(fake, "manual-pv", [argo, ...scenario("routeNotAllowed")]);
    expect(failed(results)).toEqual(["route/fast-time-server", "route/mcp-gateway"]);
    expect(byId(results, "route/mcp-gateway").detail).toBe(
      "mcp-gateway: gateway-system/platform-gateway:https: Accepted False (NotAllowedByListeners: no listener admits this namespace)",
    );
  });

  it("/health and the fast-time server's /health (prefix rewritten) through the route at the Gateway's address", async () => {
    const atAddress = (listenerPort: number) => ({
      match: "^get gateways.gateway.networking.k8s.io mcp-stack -n \\S+ -o json$",
      json: {
        spec: { listeners: [{ name: "http", port: listenerPort, protocol: "HTTP" }] },
        status: { addresses: [{ type: "IPAddress", value: "127.0.0.1" }], conditions: [{ type: "Programmed", status: "True" }] },
      },
    });
    const results = await verify(fake, "minikube", [atAddress(edge.port), ...scenario()]);
    expect(failed(results)).toEqual([]);
    expect(byId(results, "route-health/gateway").detail).toBe(`http://gateway.local/health (at 127.0.0.1:${edge.port}): 200 {"status":"healthy"}`);
    expect(byId(results, "route-health/fast-time").status).toBe("pass");
    expect(byId(results, "gateway-programmed").detail).toBe("Programmed, address 127.0.0.1");
    expect(edge.seen).toEqual(expect.arrayContaining(["gateway.local /health", "gateway.local /fast-time/health"]));
  });

  it("a Gateway with an address but no listener for the host: a warning that says so (not 'no address')", async () => {
    const live = {
      match: "^get gateways.gateway.networking.k8s.io mcp-stack -n \\S+ -o json$",
      json: {
        spec: { listeners: [{ name: "someone-elses", port: edge.port, protocol: "HTTP" }] },
        status: { addresses: [{ type: "IPAddress", value: "127.0.0.1" }], conditions: [{ type: "Programmed", status: "True" }] },
      },
    };
    const results = await verify(fake, "minikube", [live, ...scenario()]);
    expect(byId(results, "route-health").status).toBe("warn");
    expect(byId(results, "route-health").detail).toBe("not reachable from here: Gateway mcp/mcp-stack has no listener that admits gateway.local");
  });

  it("several hosts (an alias and a wildcard): /health through each exact host's own listener, the wildcard skipped", async () => {
    const alias = (t: Target): Target => ({ ...t, settings: { ...t.settings, ingress: { ...t.settings.ingress, additionalHosts: ["alias.local", "*.apps.local"] } } });
    const live = {
      match: "^get gateways.gateway.networking.k8s.io mcp-stack -n \\S+ -o json$",
      json: {
        spec: { listeners: ["gateway.local", "alias.local", "*.apps.local"].map((hostname, i) => ({ name: i ? `http-${i + 1}` : "http", port: edge.port, protocol: "HTTP", hostname })) },
        status: { addresses: [{ type: "IPAddress", value: "127.0.0.1" }], conditions: [{ type: "Programmed", status: "True" }] },
      },
    };
    const results = await verify(fake, "minikube", [live, ...scenario()], undefined, alias);
    expect(results.filter((r) => r.id.startsWith("route-health/")).map((r) => `${r.id} ${r.status}`)).toEqual([
      "route-health/gateway pass",
      "route-health/fast-time pass",
      "route-health/gateway@alias.local pass",
      "route-health/fast-time@alias.local pass",
    ]);
    expect(byId(results, "route-health/gateway@alias.local").detail).toBe(`http://alias.local/health (at 127.0.0.1:${edge.port}): 200 {"status":"healthy"}`);
    expect(edge.seen).toEqual(expect.arrayContaining(["alias.local /health", "alias.local /fast-time/health"]));
  });
});
