// The analyses' semantics on the current overlays with one thing changed: each change must produce its
// finding (and the unchanged overlay none), so the gate catches the class, not only the defects it was built on.
import { parseAllDocuments, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { analyseEnvironment, overlayInput, type EnvironmentInput } from "../../scripts/deployability/run.ts";
import type { Finding } from "@mcp-stack/policy-engine";

type Doc = Record<string, any>;
const inputs = new Map<string, EnvironmentInput>();
for (const env of ["dev", "eks", "manual-pv"]) inputs.set(env, await overlayInput(env));

/** The environment with its rendered objects (and settings or Application) changed. */
function analyse(env: string, change: { objects?: (docs: Doc[]) => void; settings?: (s: any) => void; application?: unknown } = {}): Finding[] {
  const input = inputs.get(env)!;
  const docs = parseAllDocuments(input.yaml).map((d) => d.toJS() as Doc);
  change.objects?.(docs);
  const settings = structuredClone(input.settings);
  change.settings?.(settings);
  return analyseEnvironment({ ...input, yaml: docs.map((d) => stringify(d)).join("---\n"), settings, ...(change.application ? { application: change.application } : {}) }).findings;
}
const find = (docs: Doc[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name.startsWith(name))!;
const rules = (fs: Finding[]) => fs.map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name}`);

describe("deployability analyses", () => {
  it("finds nothing on the unchanged overlays", () => {
    for (const env of inputs.keys()) expect(rules(analyse(env)), env).toEqual([]);
  });

  it("first sync: a claim applied after the StatefulSet that mounts it deadlocks the waves", () => {
    const f = analyse("manual-pv", { objects: (docs) => (find(docs, "PersistentVolumeClaim", "postgres-data").metadata.annotations["argocd.argoproj.io/sync-wave"] = "5") });
    const later = f.find((x) => x.ruleId === "first-sync-later-wave" && x.object.name === "postgres");
    expect(later?.message).toBe("StatefulSet postgres (wave -1) needs claim postgres-data bound, which is applied only in wave 5");
    expect(f.find((x) => x.ruleId === "first-sync-never-healthy" && x.object.name === "postgres")?.message).toMatch(/^never healthy in wave -1: claim postgres-data bound comes only in wave 5; the sync never gets past wave -1/);
  });

  it("first sync: an ExternalSecret whose remote key the store does not hold is Degraded and holds the first wave", () => {
    const f = analyse("eks", { settings: (s) => (s.cluster.remoteSecrets = s.cluster.remoteSecrets.filter((k: string) => !k.endsWith("/redis-credentials"))) });
    const es = f.find((x) => x.ruleId === "first-sync-never-healthy" && x.object.name === "redis-credentials");
    expect(es?.message).toContain("remote key mcp-stack/eks/redis-credentials is not in the store before the first sync");
    expect(es?.message).toContain("the sync never gets past wave -2");
  });

  it("first sync: a CRD kind without SkipDryRunOnMissingResource, unless the Application sets it for all", () => {
    const strip = (docs: Doc[]) => delete find(docs, "ServiceMonitor", "mcp-gateway").metadata.annotations["argocd.argoproj.io/sync-options"];
    expect(rules(analyse("eks", { objects: strip }))).toEqual(["first-sync-crd-dry-run ServiceMonitor/mcp-gateway"]);
    const application = { spec: { syncPolicy: { syncOptions: ["SkipDryRunOnMissingResource=true"] } } };
    expect(rules(analyse("eks", { objects: strip, application }))).toEqual([]);
  });

  it("first sync: a missing CRD or StorageClass never becomes healthy", () => {
    const noClass = (docs: Doc[]) => docs.splice(0, docs.length, ...docs.filter((d) => d.kind !== "StorageClass"));
    const f = analyse("eks", { objects: noClass, settings: (s) => ((s.cluster.crds = ["external-secrets.io"]), (s.cluster.storageClasses = [])) });
    expect(f.find((x) => x.object.kind === "ServiceMonitor")?.message).toContain("the monitoring.coreos.com CRD is not installed (cluster.crds)");
    expect(f.some((x) => x.ruleId === "first-sync-never-healthy" && x.object.kind === "PersistentVolumeClaim")).toBe(true);
  });

  it("kubectl apply: without the init container that waits for the schema, the gateway crash-loops", () => {
    const f = analyse("dev", { objects: (docs) => delete find(docs, "Deployment", "mcp-gateway").spec.template.spec.initContainers });
    expect(f.find((x) => x.ruleId === "apply-crash-loop")?.message).toMatch(/exits while the schema at head is missing .* crash-loops until Job mcp-migration-/);
  });

  it("image wiring: a UID the image's files do not belong to", () => {
    const f = analyse("dev", { objects: (docs) => (find(docs, "Deployment", "redis-commander").spec.template.spec.securityContext.runAsUser = 12345) });
    expect(f.find((x) => x.ruleId === "image-user")?.message).toContain("runs as UID 12345");
  });

  it("network flows: a gateway policy without its PostgreSQL rule blocks the flow", () => {
    const f = analyse("dev", {
      objects: (docs) => {
        const p = find(docs, "NetworkPolicy", "mcp-gateway");
        p.spec.egress = p.spec.egress.filter((r: Doc) => !r.ports?.some((x: Doc) => x.port === 5432));
      },
    });
    expect(f.find((x) => x.ruleId === "flow-blocked")?.message).toMatch(/^Deployment mcp-gateway needs Service postgres .*TCP 5432\), denied by the egress of the source/);
  });

  it("network flows: a rule no flow needs is reported", () => {
    const f = analyse("dev", { objects: (docs) => (find(docs, "NetworkPolicy", "redis").spec.egress = [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 25 }] }]) });
    expect(f.find((x) => x.ruleId === "flow-unneeded" && x.object.name === "redis")?.message).toBe('egress rule 0 ({"ipBlock":{"cidr":"0.0.0.0/0"}}) allows what no application flow needs');
  });

  it("network flows: the Gateway API data path to the routes' backends", () => {
    const f = analyse("manual-pv", { objects: (docs) => (find(docs, "NetworkPolicy", "mcp-gateway").spec.ingress = []) });
    expect(f.find((x) => x.ruleId === "flow-blocked" && x.message.includes("Gateway API data path"))?.message).toMatch(/^envoy pods in envoy-gateway-system needs the Gateway API data path \(HTTPRoute mcp-gateway/);
  });

  it("TLS: the Secret a Gateway listener or a ReferenceGrant names must be made by someone (here: created beforehand)", () => {
    const noTls = (s: any) => (s.cluster.existingSecrets = s.cluster.existingSecrets.filter((n: string) => n !== "mcp-gateway-tls"));
    expect(analyse("manual-pv", { settings: noTls }).filter((x) => x.ruleId === "tls-secret-missing").map((x) => `${x.object.kind} ${x.message}`)).toEqual([
      "ReferenceGrant TLS Secret mcp-gateway-tls is not rendered, made by no ExternalSecret or cert-manager Certificate, and not in cluster.existingSecrets: the Gateway granted it cannot terminate TLS with it",
    ]);
    const gateway = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: "mcp-stack", namespace: "mcp" },
      spec: {
        gatewayClassName: "eg",
        listeners: [
          { name: "https", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ kind: "Secret", name: "own-tls" }] } },
          { name: "shared", port: 443, protocol: "HTTPS", hostname: "*.example.com", tls: { certificateRefs: [{ kind: "Secret", name: "wildcard", namespace: "certs" }] } },
        ],
      },
    };
    const withGateway = (docs: Doc[]) => void docs.push(gateway);
    expect(analyse("manual-pv", { objects: withGateway }).filter((x) => x.ruleId === "tls-secret-missing").map((x) => `${x.object.kind}/${x.object.name} ${x.message}`)).toEqual([
      "Gateway/mcp-stack TLS Secret own-tls is not rendered, made by no ExternalSecret or cert-manager Certificate, and not in cluster.existingSecrets: listener https reports ResolvedRefs False (InvalidCertificateRef) and serves nothing",
    ]);
    const certificate = { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "own-tls", namespace: "mcp" }, spec: { secretName: "own-tls", dnsNames: ["x.example.com"], issuerRef: { name: "le" } } };
    expect(analyse("manual-pv", { objects: (docs) => void docs.push(gateway, certificate), settings: (s) => s.cluster.crds.push("cert-manager.io") }).filter((x) => x.ruleId === "tls-secret-missing")).toEqual([]);
  });

  it("SSRF: an in-cluster MCP server outside SSRF_ALLOWED_NETWORKS", () => {
    const f = analyse("eks", { settings: (s) => (s.network.serviceCidrs = ["10.200.0.0/16"]) });
    expect(f.find((x) => x.ruleId === "flow-ssrf")?.message).toContain("10.200.0.10 is a private address");
  });
});
