import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execKubectl } from "../../scripts/cluster/kubectl.ts";
import { UsageError } from "../../scripts/lib/cli.ts";
import { main } from "../../scripts/verify.ts";
import { byId, captureIo, depsFor, failed, makeFakeKubectl, target, verify } from "./helpers.ts";
import { scenario } from "./scenarios.ts";
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
