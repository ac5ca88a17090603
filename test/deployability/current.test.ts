// The deployability analysis on the current overlays (rendered in-process): silent where the defects of
// issue 11 are fixed. A finding still open is exempted in scripts/deployability/data/config.yaml with its
// reason; the tests below look through exemptions, so each passes only once its defect is really gone.
import { describe, expect, it } from "vitest";
import { analyseEnvironment, loadDeployabilityExemptions, overlayInput } from "../../scripts/deployability/run.ts";
import { listOverlays } from "../../scripts/lib/overlays.ts";
import type { Finding } from "@mcp-stack/policy-engine";

const envs = listOverlays();
const exemptions = loadDeployabilityExemptions();
const reports = new Map(await Promise.all(envs.map(async (env) => [env, analyseEnvironment(await overlayInput(env), { exemptions })] as const)));
const all = (env: string): Finding[] => reports.get(env)!.findings;
const of = (env: string, ruleId: string, kind?: string, name?: string) =>
  all(env).filter((f) => f.ruleId === ruleId && (!kind || f.object.kind === kind) && (!name || f.object.name === name));

describe("deployability on the current overlays", () => {
  it("analyses every overlay", () => {
    expect(envs).toEqual(["dev", "eks", "manual-pv", "minikube"]);
  });

  it("no unexempted error or warning in any overlay (the gate's verdict)", () => {
    for (const env of envs) expect(all(env).filter((f) => !f.exempted).map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name}: ${f.message}`), env).toEqual([]);
  });

  it("defect 5: no Secure-cookie login on plain http", () => {
    for (const env of envs) expect(of(env, "cookie-secure-http"), env).toEqual([]);
  });

  it("defect 6: the connection budget fits max_connections", () => {
    for (const env of envs) expect(of(env, "db-connection-budget"), env).toEqual([]);
  });

  it("defect 10: every object of a CRD kind tolerates a missing CRD", () => {
    for (const env of envs) expect(of(env, "first-sync-crd-dry-run"), env).toEqual([]);
  });

  it("nothing allowed that nothing needs (no Ingress, no rule for the ingress controller)", () => {
    expect(of("dev", "flow-unneeded")).toEqual([]);
  });

  it("defects 4 and 12: image users, writable paths and listen addresses match the images", () => {
    for (const env of envs) for (const rule of ["image-user", "image-writable-path", "image-port", "image-address"]) expect(of(env, rule), `${env} ${rule}`).toEqual([]);
  });

  it("defect 1: the eks first sync passes the metrics token", () => {
    expect(of("eks", "first-sync-never-healthy", "ExternalSecret")).toEqual([]);
    expect(of("eks", "first-sync-later-wave")).toEqual([]);
  });
  it("defect 2: manual-pv's first sync completes and its routes' data path is allowed", async () => {
    // manual-pv now routes through the Gateway API (HTTPRoutes on the platform Gateway), not an Ingress.
    expect((await overlayInput("manual-pv")).yaml).toMatch(/^kind: HTTPRoute$/m);
    expect(of("manual-pv", "first-sync-never-healthy")).toEqual([]);
    expect(of("manual-pv", "flow-blocked")).toEqual([]);
  });
  it("defect 3: the gateway reaches MCP servers (NetworkPolicy and SSRF)", () => {
    for (const env of envs) {
      expect(of(env, "flow-blocked", "Deployment", "mcp-gateway").filter((f) => f.message.includes("MCP server")), env).toEqual([]);
      expect(of(env, "flow-ssrf"), env).toEqual([]);
    }
  });
  it("defect 7: every eks claim has its StorageClass", () => {
    expect(of("eks", "first-sync-never-healthy", "PersistentVolumeClaim")).toEqual([]);
  });
  it("defect 8: nothing crash-loops under kubectl apply", () => {
    for (const env of envs) expect(of(env, "apply-crash-loop"), env).toEqual([]);
  });
});
