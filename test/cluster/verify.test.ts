import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execKubectl } from "../../scripts/cluster/kubectl.ts";
import { UsageError } from "../../scripts/lib/cli.ts";
import { main } from "../../scripts/verify.ts";
import { byId, captureIo, depsFor, failed, makeFakeKubectl, standInEdge, target, verify } from "./helpers.ts";
import { scenario } from "./scenarios.ts";
import type { Target } from "../../scripts/cluster/target.ts";
import { migrationJobName } from "../../scripts/stack/migration.ts";
import { loadSettingsFile } from "../../scripts/settings/load.ts";
import { OVERLAYS_DIR } from "../../scripts/lib/paths.ts";

/** The minikube overlay's migration Job (its name carries a hash of what it runs). */
const JOB = migrationJobName(loadSettingsFile(`${OVERLAYS_DIR}/minikube/settings.yaml`));

const fake = makeFakeKubectl();
const noArgo = { match: "^get application \\S+ -n argocd -o json$", json: { status: { sync: { status: "Synced" }, health: { status: "Healthy" } } } };

describe("verify against a healthy install", () => {
  it("minikube: rollouts, migration Job, claims, ingress and the gateway's /health and /ready", async () => {
    const results = await verify(fake, "minikube", scenario());
    expect(failed(results)).toEqual([]);
    const cmds = fake.commands();
    expect(cmds).toContain("get deployment mcp-gateway -n mcp -o json");
    expect(cmds).toContain("get statefulset postgres -n mcp -o json");
    expect(cmds).toContain(`get job ${JOB} -n mcp -o json`);
    expect(cmds).toContain("get persistentvolumeclaim postgres-data -n mcp -o json");
    expect(cmds).toContain("get --raw /api/v1/namespaces/mcp/services/http:mcp-gateway:80/proxy/health");
    expect(cmds).toContain("get --raw /api/v1/namespaces/mcp/services/http:mcp-gateway:80/proxy/ready");
    expect(results.some((r) => r.id.startsWith("hpa/"))).toBe(false);
    expect(results.some((r) => r.id === "argocd")).toBe(false);
  });

  it("eks: HPA reading metrics, External Secrets Ready, Argo CD Application Synced and Healthy", async () => {
    const results = await verify(fake, "eks", [noArgo, ...scenario()]);
    expect(failed(results)).toEqual([]);
    expect(byId(results, "hpa/mcp-gateway").detail).toBe("cpu 12%/80%, memory 41%/80%, 2 replicas (2-10)");
    expect(byId(results, "argocd").detail).toBe("mcp-stack-eks: sync Synced, health Healthy");
    expect(fake.commands()).toContain("get application mcp-stack-eks -n argocd -o json");
    expect(fake.commands()).toContain("get externalsecret postgres-credentials -n mcp -o json");
  });
});

describe("verify against a broken install", () => {
  it("a failed migration Job", async () => {
    const results = await verify(fake, "minikube", scenario("failedJob"));
    expect(failed(results)).toContain(`job/${JOB}`);
    const job = byId(results, `job/${JOB}`);
    expect(job.detail).toContain("Failed: BackoffLimitExceeded");
    expect(job.remediation).toContain(`kubectl logs job/${JOB} -n mcp`);
  });

  it("a pending claim, with the manual-PV advice on manual-pv", async () => {
    const minikube = await verify(fake, "minikube", scenario("pendingPvc"));
    expect(failed(minikube)).toEqual(["pvc/postgres-data"]);
    expect(byId(minikube, "pvc/postgres-data").remediation).toContain("default StorageClass");
    const manual = await verify(fake, "manual-pv", [noArgo, ...scenario("pendingPvc")]);
    expect(failed(manual)).toEqual(["pvc/postgres-data", "pvc/redis-data"]);
    expect(byId(manual, "pvc/redis-data").remediation).toContain("check storageClassName, size and accessModes match PV mcp-redis-data");
  });

  it("HPA at <unknown>: metrics-server advice from the HPA guide", async () => {
    const results = await verify(fake, "eks", [noArgo, ...scenario("hpaUnknown")]);
    expect(failed(results)).toEqual(["hpa/mcp-gateway"]);
    expect(byId(results, "hpa/mcp-gateway").detail).toContain("cpu: <unknown>/80%");
    expect(byId(results, "hpa/mcp-gateway").remediation).toContain("kubectl logs deployment/metrics-server -n kube-system");
  });

  it("a crash-looping gateway: the reason and the troubleshooting line", async () => {
    const results = await verify(fake, "minikube", scenario("crashLoop"));
    const r = byId(results, "rollout/mcp-gateway");
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("0/2 replicas available; mcp-gateway-abc: CrashLoopBackOff (last exit 1 Error)");
    expect(r.remediation).toContain("kubectl logs mcp-gateway-abc -n mcp -c gateway --previous");
  });

  it("health refused by the API server proxy: suggests a port-forward and --url", async () => {
    const results = await verify(fake, "minikube", scenario("healthRefused"));
    expect(failed(results)).toEqual(["health/health", "health/ready"]);
    expect(byId(results, "health/health").remediation).toContain("kubectl port-forward svc/mcp-gateway 8080:80 -n mcp");
  });

  it("/health answering 200 with status unhealthy (mcpgateway/main.py:12211-12246: the database unreachable) fails", async () => {
    const sick = { match: "^get --raw /api/v1/namespaces/mcp/services/http:mcp-gateway:80/proxy/health$", stdout: '{"status":"unhealthy","error":"Database connection error: timeout"}' };
    const results = await verify(fake, "minikube", [sick, ...scenario()]);
    expect(failed(results)).toEqual(["health/health"]);
    expect(byId(results, "health/health").remediation).toContain("kubectl logs deployment/mcp-gateway -n mcp");
  });

  it("Argo CD Application out of sync", async () => {
    const results = await verify(fake, "eks", scenario("argoApp"));
    expect(failed(results)).toEqual(["argocd"]);
    expect(byId(results, "argocd").detail).toBe("mcp-stack-eks: sync OutOfSync, health Progressing");
  });

  it("a migration Job already cleaned up by its TTL is a warning, not a failure", async () => {
    const results = await verify(fake, "minikube", [{ match: "^get job ", stderr: 'Error from server (NotFound): jobs.batch "x" not found', code: 1 }, ...scenario()]);
    expect(byId(results, `job/${JOB}`).status).toBe("warn");
    expect(failed(results)).toEqual([]);
  });
});

describe("verify --url", () => {
  let server: http.Server;
  let url = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/health") res.writeHead(200).end('{"status":"healthy"}');
      else res.writeHead(503).end('{"status":"not ready"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("fetches /health and /ready from the URL instead of the API server proxy", async () => {
    const results = await verify(fake, "minikube", scenario(), url);
    expect(byId(results, "health/health").status).toBe("pass");
    expect(byId(results, "health/ready")).toMatchObject({ status: "fail" });
    expect(byId(results, "health/ready").detail).toContain("HTTP 503");
    expect(fake.commands().some((c) => c.includes("--raw"))).toBe(false);
  });
});

describe("verify through an Ingress: /health for every host at the load balancer's address", () => {
  // Plays the Ingress controller. The gateway's /health answers 200 with {"status":"unhealthy"} when its database
  // is unreachable (mcp-context-forge v1.0.8 mcpgateway/main.py:12211-12246).
  const edge = standInEdge(["gateway.example.com", "mcp.example.com", "alias.example.com"], { "sick.example.com": '{"status":"unhealthy","error":"Database connection error"}' });

  const at = () => ({ ingressPorts: { http: edge.port, https: edge.port } });
  /** Settings served over plain http (the stand-in speaks no TLS), with more hosts. */
  const plain = (...additionalHosts: string[]) => (t: Target): Target => ({
    ...t,
    settings: { ...t.settings, ingress: { ...t.settings.ingress, tls: { ...t.settings.ingress.tls, enabled: false }, additionalHosts } },
  });
  const health = (results: { id: string; status: string }[]) => results.filter((r) => r.id.startsWith("ingress-health")).map((r) => `${r.id} ${r.status}`);

  it("the base (ingress-nginx): the gateway's and fast-time's /health (prefix rewritten) for each exact host, the wildcard skipped", async () => {
    edge.seen.length = 0;
    const results = await verify(fake, undefined, scenario(), undefined, plain("alias.example.com", "*.apps.example.com"), at());
    expect(failed(results)).toEqual([]);
    expect(health(results)).toEqual([
      "ingress-health/gateway pass",
      "ingress-health/gateway@alias.example.com pass",
      "ingress-health/fast-time pass",
      "ingress-health/fast-time@alias.example.com pass",
    ]);
    expect(byId(results, "ingress-health/gateway").detail).toBe(`http://gateway.example.com/health (at 127.0.0.1:${edge.port}): 200 {"status":"healthy"}`);
    expect([...edge.seen].sort()).toEqual(["alias.example.com /fast-time/health", "alias.example.com /health", "gateway.example.com /fast-time/health", "gateway.example.com /health"]);
    expect(fake.commands()).toContain("get ingress fast-time-server -n mcp -o json");
  });

  it("eks (ALB, TLS): https with the host as SNI at the address — a plain-http answerer is a warning naming it, not a pass", async () => {
    const results = await verify(fake, "eks", [noArgo, ...scenario()], undefined, undefined, at());
    expect(failed(results)).toEqual([]);
    // fast-time is routed only behind ingress-nginx: one Ingress, one host
    expect(health(results)).toEqual(["ingress-health/gateway warn"]);
    expect(byId(results, "ingress-health/gateway").detail).toMatch(new RegExp(`^https://mcp\\.example\\.com/health \\(at 127\\.0\\.0\\.1:${edge.port}\\): not reachable from here \\(`));
    expect(byId(results, "ingress-health/gateway").remediation).toContain("--url https://mcp.example.com");
    const served = await verify(fake, "eks", [noArgo, ...scenario()], undefined, plain(), at());
    expect(byId(served, "ingress-health/gateway")).toMatchObject({ status: "pass", detail: `http://mcp.example.com/health (at 127.0.0.1:${edge.port}): 200 {"status":"healthy"}` });
  });

  it("a 404 from the controller and a gateway reporting unhealthy fail; no address yet is a warning; --url skips it", async () => {
    const results = await verify(fake, "eks", [noArgo, ...scenario()], undefined, plain("other.example.com", "sick.example.com"), at());
    expect(failed(results)).toEqual(["ingress-health/gateway@other.example.com", "ingress-health/gateway@sick.example.com"]);
    expect(byId(results, "ingress-health/gateway@other.example.com").detail).toContain("HTTP 404 no route");
    expect(byId(results, "ingress-health/gateway@other.example.com").remediation).toContain("kubectl describe ingress mcp-gateway -n mcp");
    expect(byId(results, "ingress-health/gateway@sick.example.com").remediation).toBe(
      'the gateway answers but reports "unhealthy" (its database is unreachable?): kubectl logs deployment/mcp-gateway -n mcp',
    );
    const pending = await verify(fake, "eks", [noArgo, { match: "^get ingress mcp-gateway -n mcp -o json$", json: { status: {} } }, ...scenario()], undefined, plain(), at());
    expect(byId(pending, "ingress-health/gateway")).toMatchObject({ status: "warn", detail: "not reachable from here: Ingress mcp-gateway has no address" });
    const withUrl = await verify(fake, "eks", [noArgo, ...scenario()], "http://127.0.0.1:9", plain(), at());
    expect(withUrl.some((r) => r.id.startsWith("ingress-health"))).toBe(false);
  });
});

describe("npm run verify (main, in-process)", () => {
  it("--context NAME: every call carries it; the summary table, exit 1 on a failure", async () => {
    const deps = depsFor(fake, scenario("failedJob"));
    expect(await main(["--context", "prod-eu", "minikube"], deps)).toBe(1);
    expect(deps.io.out()).toContain("verify minikube: context prod-eu, server v1.31.2, namespace mcp\n");
    expect(deps.io.out()).toMatch(/STATUS\s+CHECK\s+DETAIL/);
    expect(deps.io.out()).toContain(`What to do:\n  FAIL job/${JOB}: kubectl logs job/${JOB} -n mcp`);
    expect(fake.calls().length).toBeGreaterThan(5);
    for (const argv of fake.calls()) expect(argv.slice(0, 2)).toEqual(["--context", "prod-eu"]);
  });

  it("-o json: parseable JSON on stdout, progress on stderr, exit 0 when healthy", async () => {
    const deps = depsFor(fake, scenario());
    expect(await main(["-o", "json", "minikube"], deps)).toBe(0);
    const report = JSON.parse(deps.io.out()) as { ok: boolean; context: string; results: { id: string }[] };
    expect(report).toMatchObject({ ok: true, context: "kind-test" });
    expect(report.results.map((r) => r.id)).toContain(`job/${JOB}`);
    expect(deps.io.err()).toContain("verify minikube: context kind-test");
  });

  it("kubectl missing (a real ENOENT): -o json says so in `error`, exit 1", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-kubectl-"));
    const io = captureIo();
    const code = await main(["--output", "json", "dev"], { exec: (_bin, argv, env) => execKubectl(path.join(empty, "kubectl"), argv, env), loadTarget: target, io });
    fs.rmSync(empty, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ ok: false, error: expect.stringContaining("kubectl not found") });
    expect(io.err()).toBe("");
  });

  it("usage errors before touching the cluster", async () => {
    const deps = depsFor(fake, scenario());
    await expect(main([], deps)).rejects.toThrow(UsageError);
    await expect(main(["nowhere"], deps)).rejects.toThrow("no such environment: nowhere");
    await expect(main(["--url", "ftp://x", "dev"], deps)).rejects.toThrow(UsageError);
    expect(fake.calls()).toEqual([]);
  });
});
