// The deployability analysis on a copy of today's output (test/deployability/fixtures/today: the overlays
// rendered from main 05dda11 before the issue-11 fixes, with their settings and Argo CD Applications). It
// must report the defects the audit found: 1, 2, 3, 5, 6 and 10 (and what else it sees of 4, 7 and 12).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyseEnvironment, savedInputs } from "../../scripts/deployability/run.ts";
import type { Finding } from "@mcp-stack/policy-engine";

const FIXTURE = path.join(import.meta.dirname, "fixtures", "today");
const reports = new Map(savedInputs(FIXTURE).map((input) => [input.name, analyseEnvironment(input)]));

function findings(env: string, ruleId: string, kind?: string, name?: string): Finding[] {
  return reports.get(env)!.findings.filter((f) => f.ruleId === ruleId && (!kind || f.object.kind === kind) && (!name || f.object.name === name));
}

describe("deployability on today's output", () => {
  it("reads all four saved environments", () => {
    expect([...reports.keys()]).toEqual(["dev", "eks", "manual-pv", "minikube"]);
  });

  it("defect 1: the metrics-token ExternalSecret in wave -2 deadlocks the eks first sync", () => {
    const [never] = findings("eks", "first-sync-never-healthy", "ExternalSecret", "mcp-gateway-metrics-token");
    expect(never?.severity).toBe("error");
    expect(never?.message).toContain("remote key mcp-stack/eks/mcp-gateway-metrics-token is not in the store before the first sync");
    expect(never?.message).toContain("the sync never gets past wave -2");
    expect(never?.message).toContain("PostSync hook(s) mcp-smoke-test-v1-0-8 never run");
    // The credentials the store does hold are fine.
    expect(findings("eks", "first-sync-never-healthy", "ExternalSecret", "postgres-credentials")).toEqual([]);
  });

  it("defect 2: manual-pv's Ingresses never get a status.loadBalancer, and a hostNetwork controller is dropped", () => {
    for (const name of ["mcp-gateway", "fast-time-server"]) {
      const [f] = findings("manual-pv", "first-sync-never-healthy", "Ingress", name);
      expect(f?.message).toContain("never writes status.loadBalancer (ingress.controllerPublishesStatus: false)");
      expect(f?.message).toContain("mcp-smoke-test-v1-0-8 never run");
    }
    const [blocked] = findings("manual-pv", "flow-blocked", "Deployment", "mcp-gateway").filter((f) => f.message.includes("ingress data path"));
    expect(blocked?.message).toMatch(/^192\.168\.10\.10 needs the ingress data path .*host network.*TCP 4444\), denied by the ingress of the destination/);
  });

  it("defect 3: the gateway can reach no MCP server (NetworkPolicy everywhere, SSRF on eks and manual-pv)", () => {
    for (const env of ["dev", "minikube", "eks", "manual-pv"]) {
      const blocked = findings(env, "flow-blocked", "Deployment", "mcp-gateway").filter((f) => f.message.includes("public MCP server"));
      expect(blocked, env).toHaveLength(1);
      expect(blocked[0]!.message).toContain("TCP 443), denied by the egress of the source");
    }
    expect(findings("eks", "flow-ssrf", "Deployment", "mcp-gateway")[0]?.message).toContain("172.20.0.10 is a private address, SSRF_ALLOW_PRIVATE_NETWORKS is false");
    expect(findings("manual-pv", "flow-ssrf", "Deployment", "mcp-gateway")[0]?.message).toContain("fast-time-server");
    // dev and minikube allow private networks: no SSRF finding there.
    expect(findings("dev", "flow-ssrf")).toEqual([]);
  });

  it("defect 5: minikube serves the UI on plain http while ENVIRONMENT=production forces Secure cookies", () => {
    const [f] = findings("minikube", "cookie-secure-http", "Deployment", "mcp-gateway");
    expect(f?.message).toContain("http://gateway.local");
    expect(f?.message).toContain("ENVIRONMENT=production");
    expect(findings("dev", "cookie-secure-http")).toEqual([]); // port-forward to localhost keeps Secure cookies
    expect(findings("eks", "cookie-secure-http")).toEqual([]); // TLS
  });

  it("defect 6: the PostgreSQL connection budget (2 workers × (15 + 30) × 10 pods + surge) against max_connections 100", () => {
    const [f] = findings("eks", "db-connection-budget", "StatefulSet", "postgres");
    expect(f?.message).toMatch(/^clients may open 996 connections, PostgreSQL admits 100/);
    expect(f?.message).toContain("mcp-gateway 11 pods (HPA max 10 + 1 surge) × 2 workers (GUNICORN_WORKERS=2) × (15 + 30)");
    expect(findings("manual-pv", "db-connection-budget")).toHaveLength(1);
  });

  it("defect 10: every object of a CRD kind lacks SkipDryRunOnMissingResource (Argo CD environments only)", () => {
    const kinds = findings("eks", "first-sync-crd-dry-run").map((f) => `${f.object.kind}/${f.object.name}`).sort();
    expect(kinds).toEqual([
      "ExternalSecret/mcp-gateway-credentials",
      "ExternalSecret/mcp-gateway-metrics-token",
      "ExternalSecret/postgres-credentials",
      "ExternalSecret/redis-credentials",
      "PrometheusRule/mcp-stack",
      "ServiceMonitor/mcp-gateway",
      "ServiceMonitor/postgres-exporter",
      "ServiceMonitor/redis-exporter",
    ]);
    expect(findings("dev", "first-sync-crd-dry-run")).toEqual([]);
  });

  it("also sees defects 4, 7, 8 and 12: Redis Commander's UID, no gp3 class on EKS, the gateway crash loop, pgAdmin's paths, the TLS Secret", () => {
    expect(findings("dev", "image-user", "Deployment", "redis-commander")[0]?.message).toContain("runs as UID 10002 GID 10002, but joeferner/redis-commander v0.9.0 owns its files as UID 10000");
    expect(findings("eks", "first-sync-never-healthy", "PersistentVolumeClaim", "postgres-data")[0]?.message).toContain("StorageClass gp3 of claim postgres-data exists neither in the cluster");
    expect(findings("minikube", "apply-crash-loop", "Deployment", "mcp-gateway")[0]?.message).toContain("exits while the schema at head is missing");
    expect(findings("dev", "image-writable-path", "Deployment", "pgadmin")[0]?.message).toContain("writes /pgadmin4/config_distro.py (PGADMIN_CUSTOM_CONFIG_DISTRO_FILE unset)");
    expect(findings("dev", "image-address", "Deployment", "pgadmin")[0]?.severity).toBe("warning");
    // manual-pv's TLS Secret was not among the Secrets the README said to create first.
    expect(findings("manual-pv", "tls-secret-missing", "Ingress", "mcp-gateway")[0]?.message).toContain("TLS Secret mcp-gateway-tls is not rendered");
  });

  it("locates findings at the object's line in the saved file", () => {
    const [f] = findings("eks", "first-sync-never-healthy", "ExternalSecret", "mcp-gateway-metrics-token");
    expect(f?.file).toBe("test/deployability/fixtures/today/eks.yaml");
    expect(f?.line).toBeGreaterThan(1);
  });
});
