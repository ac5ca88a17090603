// Several host names for one stack (ingress.host + ingress.additionalHosts) and free-form listeners of a stack-owned
// Gateway (ingress.gatewayApi.listeners): what each routing kind renders, the gateway app's origins, the CRD
// schemas and the route policy rules on the result, the settings errors with their key paths, sharing between
// environments and clusters (verify's /health per host: test/cluster/routes.test.ts).
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseSettings, SettingsError } from "../scripts/settings/load.ts";
import { environmentProblems } from "../scripts/settings/environments.ts";
import { buildStack } from "../scripts/stack/index.ts";
import { buildClusterStack, clusterJobSuffix } from "../scripts/stack/fleet.ts";
import { plain } from "../scripts/generate/emit.ts";
import { validateDocuments } from "../scripts/validate/engine.ts";
import { evaluate } from "../policy/engine.ts";
import { notes } from "../scripts/notes/text.ts";

type Any = Record<string, any>;

const settingsOf = (yaml: string) => parseSettings(yaml, "variant.yaml");
const render = (yaml: string) => buildStack({ settings: settingsOf(yaml) }).map((o) => plain(o.object) as Any);
const find = (objects: Any[], kind: string, name: string): Any => objects.find((o) => o.kind === kind && o.metadata.name === name) as Any;
const problemsOf = (yaml: string): string[] => {
  try {
    settingsOf(yaml);
    return [];
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
};

const HOSTS = "  host: mcp.example.com\n  additionalHosts: [mcp.example.org, \"*.tools.example.com\"]\n";
const ROUTE_RULES = ["httproute-backend-exists", "httproute-parent-exists", "route-hostnames-valid", "listener-tls", "route-networkpolicy-path", "listener-certificate-grant"];

async function strictlyValid(objects: Any[]) {
  const report = await validateDocuments([{ filename: "variant.yaml", content: objects.map((o) => stringify(o)).join("---\n") }], { strict: true });
  expect(report.resources.filter((r) => r.status !== "statusValid").map((r) => `${r.kind}/${r.name}: ${r.msg}`)).toEqual([]);
  expect(report.summary.skipped).toBe(0);
  const sources = objects.map((object, i) => ({ object, file: "variant.yaml", line: i + 1 }));
  expect(evaluate(sources, { profile: "production" }).findings.filter((f) => ROUTE_RULES.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name}: ${f.message}`)).toEqual([]);
}

describe("several host names", () => {
  it("Gateway API, the stack's Gateway with TLS: hostnames on both routes, an HTTP/HTTPS listener pair per host, routes on every HTTPS listener", async () => {
    const objects = render(`ingress:\n  kind: gateway-api\n${HOSTS}  tls: { certificate: { enabled: true } }\n  gatewayApi: { mode: create }\n`);
    for (const name of ["mcp-gateway", "fast-time-server", "mcp-gateway-https-redirect"]) {
      expect(find(objects, "HTTPRoute", name).spec.hostnames).toEqual(["mcp.example.com", "mcp.example.org", "*.tools.example.com"]);
    }
    const gw = find(objects, "Gateway", "mcp-stack");
    expect(gw.spec.listeners.map((l: Any) => `${l.name} ${l.protocol}/${l.port} ${l.hostname}`)).toEqual([
      "http HTTP/80 mcp.example.com",
      "https HTTPS/443 mcp.example.com",
      "http-2 HTTP/80 mcp.example.org",
      "https-2 HTTPS/443 mcp.example.org",
      "http-3 HTTP/80 *.tools.example.com",
      "https-3 HTTPS/443 *.tools.example.com",
    ]);
    const sections = (route: Any) => route.spec.parentRefs.map((r: Any) => r.sectionName);
    expect(sections(find(objects, "HTTPRoute", "mcp-gateway"))).toEqual(["https", "https-2", "https-3"]);
    expect(sections(find(objects, "HTTPRoute", "mcp-gateway-https-redirect"))).toEqual(["http", "http-2", "http-3"]);
    expect(find(objects, "Certificate", "mcp-gateway-tls").spec.dnsNames).toEqual(["mcp.example.com", "mcp.example.org", "*.tools.example.com"]);
    await strictlyValid(objects);
  });

  it("Ingress: one rule per host with the same paths, every host in the TLS entry", async () => {
    const objects = render(`ingress:\n${HOSTS}`);
    const ing = find(objects, "Ingress", "mcp-gateway");
    expect(ing.spec.rules.map((r: Any) => [r.host, r.http.paths[0].path])).toEqual([["mcp.example.com", "/"], ["mcp.example.org", "/"], ["*.tools.example.com", "/"]]);
    expect(ing.spec.tls).toEqual([{ hosts: ["mcp.example.com", "mcp.example.org", "*.tools.example.com"], secretName: "mcp-gateway-tls" }]);
    expect(find(objects, "Ingress", "fast-time-server").spec.rules).toHaveLength(3);
    await strictlyValid(objects);
  });

  it("attached to the platform's Gateway: every host on the routes, one parentRef", () => {
    const objects = render(`ingress:\n  kind: gateway-api\n${HOSTS}  gatewayApi: { gateway: { name: shared, namespace: infra, sectionName: websecure } }\n`);
    const route = find(objects, "HTTPRoute", "mcp-gateway");
    expect(route.spec.hostnames).toHaveLength(3);
    expect(route.spec.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "shared", namespace: "infra", sectionName: "websecure" }]);
  });

  it("the gateway app: APP_DOMAIN is ingress.host, every exact host an allowed origin, the others CSRF-trusted (config.py:406, :1188, :1280)", () => {
    const config = find(render(`ingress:\n${HOSTS}`), "ConfigMap", "mcp-gateway-config").data;
    expect(config.APP_DOMAIN).toBe("https://mcp.example.com");
    expect(JSON.parse(config.ALLOWED_ORIGINS)).toEqual(["https://mcp.example.com", "https://mcp.example.org"]);
    expect(JSON.parse(config.CSRF_TRUSTED_ORIGINS)).toEqual(["https://mcp.example.org"]);
    // one host: as before, no CSRF_TRUSTED_ORIGINS at all
    const single = find(render("ingress:\n  host: mcp.example.com\n"), "ConfigMap", "mcp-gateway-config").data;
    expect([single.ALLOWED_ORIGINS, single.CSRF_TRUSTED_ORIGINS]).toEqual(['["https://mcp.example.com"]', undefined]);
  });

  it("notes print every URL; a wildcard is named, not given a URL", () => {
    const text = notes("variant", settingsOf(`ingress:\n${HOSTS}`));
    expect(text).toContain("URL:        https://mcp.example.com\n");
    expect(text).toContain("also:       https://mcp.example.org   (health: https://mcp.example.org/health)");
    expect(text).toContain("also:       any name under *.tools.example.com");
  });

  it.each([
    ["a wildcard as the gateway's own host", "ingress:\n  host: \"*.example.com\"\n", "ingress.host: *.example.com is a wildcard"],
    ["the primary repeated", "ingress:\n  host: a.example.com\n  additionalHosts: [a.example.com]\n", "ingress.additionalHosts.0: a.example.com is ingress.host already"],
    ["not a host name", "ingress:\n  additionalHosts: [Bad_Host]\n", "ingress.additionalHosts.0: \"Bad_Host\" is not valid"],
    ["17 host names on an HTTPRoute", `ingress:\n  kind: gateway-api\n  additionalHosts: [${Array.from({ length: 16 }, (_, i) => `h${i}.example.com`).join(", ")}]\n`, "ingress.additionalHosts: 17 host names: an HTTPRoute takes at most 16"],
    ["a fleet cluster's wildcard host", "credentials: { source: existingSecrets }\nclusters:\n  - { name: a, stage: canary, destination: { name: a }, host: \"*.a.example.com\" }\n", "clusters.0.host: *.a.example.com is a wildcard"],
  ])("settings error: %s", (_name, yaml, message) => {
    expect(problemsOf(yaml).join("\n")).toContain(message);
  });
});

describe("a host shared between environments or clusters", () => {
  const envs = (a: string, b: string) => new Map([["alpha", settingsOf(a)], ["beta", settingsOf(b)]]);
  const found = (m: Map<string, ReturnType<typeof settingsOf>>) => environmentProblems(m).map((p) => `${p.env} ${p.path}: ${p.message}`);

  it("an additional host of one environment that is another's, or that another's wildcard covers, unless both declare it", () => {
    expect(found(envs("ingress:\n  host: a.example.com\n  additionalHosts: [shared.example.com]\n", "ingress:\n  host: shared.example.com\n"))).toEqual([
      "beta ingress.host: host shared.example.com is also environment alpha's (overlays/alpha/settings.yaml): both would serve (and take over) the same traffic",
    ]);
    expect(found(envs("ingress:\n  host: a.example.com\n  additionalHosts: [\"*.example.com\"]\n", "ingress:\n  host: b.example.com\n"))).toEqual([
      "beta ingress.host: host b.example.com is covered by environment alpha's *.example.com (overlays/alpha/settings.yaml): both would serve (and take over) the same traffic",
    ]);
    expect(found(envs("shares: [host]\ningress:\n  host: a.example.com\n  additionalHosts: [\"*.example.com\"]\n", "shares: [host]\ningress:\n  host: b.example.com\n"))).toEqual([]);
    expect(found(envs("ingress:\n  host: a.example.com\n  additionalHosts: [\"*.example.com\"]\n", "ingress:\n  host: b.example.org\n"))).toEqual([]);
  });

  it("fleet clusters inherit the environment's additional hosts, so each cluster names its own or both declare sharing", () => {
    const fleet = (extra: string) =>
      `credentials: { source: existingSecrets }\ningress:\n  host: mcp.example.com\n  additionalHosts: [alias.example.com]\nclusters:\n  - { name: a, stage: canary, destination: { name: a }, host: a.example.com${extra} }\n  - { name: b, stage: canary, destination: { name: b }, host: b.example.com${extra} }\n`;
    expect(problemsOf(fleet(""))).toEqual(["ingress.additionalHosts.0: host alias.example.com is also clusters.0 (a)'s: clusters.1 (b) inherits it"]);
    const ownAlias = fleet("").replace("host: b.example.com", "host: b.example.com, additionalHosts: [alias.example.com]");
    expect(problemsOf(ownAlias)).toEqual(["clusters.1.additionalHosts.0: host alias.example.com is also clusters.0 (a)'s"]);
    expect(problemsOf(fleet(", shares: [host]"))).toEqual([]);
    const own = fleet("").replace("host: a.example.com", "host: a.example.com, additionalHosts: [alias-a.example.com]").replace("host: b.example.com", "host: b.example.com, additionalHosts: [alias-b.example.com]");
    expect(problemsOf(own)).toEqual([]);
    const env = settingsOf(own);
    const objects = buildStack({ settings: env }).map((o) => plain(o.object) as Any);
    expect(find(objects, "Ingress", "mcp-gateway").spec.rules.map((r: Any) => r.host)).toEqual(["mcp.example.com", "alias.example.com"]);
    // a cluster's own additional hosts are rendered values of the cluster: its routes, its origins, its Jobs' names
    const [a] = env.clusters;
    const cluster = buildClusterStack(env, a!).map((o) => plain(o.object) as Any);
    expect(find(cluster, "Ingress", "mcp-gateway").spec.rules.map((r: Any) => r.host)).toEqual(["a.example.com", "alias-a.example.com"]);
    expect(JSON.parse(find(cluster, "ConfigMap", "mcp-gateway-config").data.ALLOWED_ORIGINS)).toEqual(["https://a.example.com", "https://alias-a.example.com"]);
    expect(clusterJobSuffix(a!)).not.toBe(clusterJobSuffix({ ...a!, additionalHosts: [] }));
  });
});

describe("free-form listeners of the stack's Gateway", () => {
  const listeners = `ingress:
  kind: gateway-api
${HOSTS}  gatewayApi:
    mode: create
    listeners:
      - { name: web, port: 8080, protocol: HTTP }
      - { name: main, port: 8443, protocol: HTTPS, hostname: mcp.example.com, tls: { certificateRefs: [{ name: mcp-gateway-tls }] } }
      - name: others
        port: 8443
        protocol: HTTPS
        hostname: "*.example.org"
        tls: { certificateRefs: [{ name: org-wildcard }] }
        allowedRoutes: { from: All }
      - name: tools
        port: 8443
        protocol: HTTPS
        hostname: "*.tools.example.com"
        tls: { certificateRefs: [{ name: tools-wildcard, namespace: certs }] }
      - { name: metrics, port: 9090, protocol: HTTP, routes: none }
`;

  it("renders exactly the listeners; the routes attach to the serving ones, HTTP redirects to the HTTPS port", async () => {
    const objects = render(listeners);
    const gw = find(objects, "Gateway", "mcp-stack");
    expect(gw.spec.listeners).toEqual([
      { name: "web", protocol: "HTTP", port: 8080, allowedRoutes: { namespaces: { from: "Same" } } },
      { name: "main", protocol: "HTTPS", port: 8443, hostname: "mcp.example.com", tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "mcp-gateway-tls" }] }, allowedRoutes: { namespaces: { from: "Same" } } },
      { name: "others", protocol: "HTTPS", port: 8443, hostname: "*.example.org", tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "org-wildcard" }] }, allowedRoutes: { namespaces: { from: "All" } } },
      { name: "tools", protocol: "HTTPS", port: 8443, hostname: "*.tools.example.com", tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "tools-wildcard", namespace: "certs" }] }, allowedRoutes: { namespaces: { from: "Same" } } },
      { name: "metrics", protocol: "HTTP", port: 9090, allowedRoutes: { namespaces: { from: "Same" } } },
    ]);
    expect(find(objects, "HTTPRoute", "mcp-gateway").spec.parentRefs.map((r: Any) => r.sectionName)).toEqual(["main", "others", "tools"]);
    const redirect = find(objects, "HTTPRoute", "mcp-gateway-https-redirect");
    expect(redirect.spec.parentRefs.map((r: Any) => r.sectionName)).toEqual(["web"]);
    expect(redirect.spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: "https", statusCode: 301, port: 8443 });
    // the certificate of namespace certs is granted there by its owner (preflight checks it): the policy is told
    expect(gw.metadata.annotations["policy.mcp-stack.dev/external-grants"]).toBe("certs/tools-wildcard");
    await strictlyValid(objects);
    delete gw.metadata.annotations["policy.mcp-stack.dev/external-grants"];
    const sources = objects.map((object, i) => ({ object, file: "variant.yaml", line: i + 1 }));
    expect(evaluate(sources, { profile: "production" }).findings.filter((f) => f.ruleId === "listener-certificate-grant").map((f) => f.message)).toEqual([
      "listener tools terminates with Secret certs/tools-wildcard, which no ReferenceGrant in certs grants to Gateways of mcp",
    ]);
  });

  it("the in-namespace data plane's NetworkPolicy admits the listeners' ports", () => {
    const objects = render(listeners.replace("mode: create", "mode: create\n    implementation: nginx-gateway-fabric"));
    expect(find(objects, "NetworkPolicy", "mcp-stack-data-plane").spec.ingress).toEqual([{ ports: [8080, 8443, 9090].map((port) => ({ protocol: "TCP", port })) }]);
  });

  it("without listeners the Gateway is what it always was (one pair for one host)", () => {
    const gw = find(render("ingress:\n  kind: gateway-api\n  gatewayApi: { mode: create }\n"), "Gateway", "mcp-stack");
    expect(gw.spec.listeners.map((l: Any) => l.name)).toEqual(["http", "https"]);
  });

  const base = "ingress:\n  kind: gateway-api\n  host: mcp.example.com\n  gatewayApi:\n    mode: create\n    listeners:\n";
  const https = "      - { name: https, port: 443, protocol: HTTPS, tls: { certificateRefs: [{ name: mcp-gateway-tls }] } }\n";
  it.each([
    ["two listeners with one name", `${https}${https.replace("port: 443", "port: 8443")}`, "ingress.gatewayApi.listeners.1.name: https is also listeners.0's name"],
    ["one port, protocol and hostname twice", `${https}${https.replace("name: https", "name: again")}`, "ingress.gatewayApi.listeners.1: port 443, HTTPS, hostname (any) is also listeners.0's: the Gateway reports a ListenerConflict"],
    ["HTTP and HTTPS on one port", `${https}      - { name: plain, port: 443, protocol: HTTP }\n`, "ingress.gatewayApi.listeners.1.protocol: port 443 is HTTPS on listeners.0"],
    ["HTTPS without a certificate", "      - { name: https, port: 443, protocol: HTTPS }\n", "ingress.gatewayApi.listeners.0.tls.certificateRefs: an HTTPS listener terminates TLS with a certificate"],
    ["Passthrough", "      - { name: https, port: 443, protocol: HTTPS, tls: { mode: Passthrough, certificateRefs: [{ name: x }] } }\n", "ingress.gatewayApi.listeners.0.tls.mode: Passthrough is for protocol TLS"],
    ["TLS on HTTP", `${https}      - { name: http, port: 80, protocol: HTTP, tls: { certificateRefs: [{ name: x }] } }\n`, "ingress.gatewayApi.listeners.1.tls: an HTTP listener has no TLS"],
    ["from Selector without a selector", "      - { name: https, port: 443, protocol: HTTPS, tls: { certificateRefs: [{ name: x }] }, allowedRoutes: { from: Selector } }\n", "ingress.gatewayApi.listeners.0.allowedRoutes.selector: missing"],
    ["a redirect with nothing to redirect to", "      - { name: http, port: 80, protocol: HTTP, routes: redirect }\n", "ingress.gatewayApi.listeners.0.routes: no HTTPS listener to redirect to"],
    ["no listener serving the routes", `${https.replace("protocol: HTTPS,", "protocol: HTTPS, routes: none,")}`, "ingress.gatewayApi.listeners: no listener serves the routes"],
    ["plain HTTP serving while TLS is on", "      - { name: http, port: 80, protocol: HTTP }\n", "ingress.tls.enabled: no HTTPS listener serves the routes, so the gateway is reached over http"],
    ["a host no serving listener accepts", `${https.replace("protocol: HTTPS,", "protocol: HTTPS, hostname: other.example.com,")}`, "ingress.host: no serving listener of ingress.gatewayApi.listeners accepts mcp.example.com"],
    ["a bad listener hostname", `${https.replace("protocol: HTTPS,", "protocol: HTTPS, hostname: \"*.*.example.com\",")}`, "ingress.gatewayApi.listeners.0.hostname: \"*.*.example.com\" is not valid"],
  ])("settings error: %s", (_name, list, message) => {
    expect(problemsOf(`${base}${list}`).join("\n")).toContain(message);
  });

  it("settings error: listeners for a Gateway the platform owns", () => {
    expect(problemsOf(`ingress:\n  kind: gateway-api\n  gatewayApi:\n    listeners:\n${https}`)).toEqual(["ingress.gatewayApi.listeners: only for mode create: an attached Gateway's listeners are the platform's"]);
  });
});
