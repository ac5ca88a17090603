// Coming from the Helm chart: `npm run import` on the chart's own values files (chart 0.9.0 and 1.0.8) and on
// hand-made ones, the adoption settings in every environment, the cutover runbook, and the cluster checks.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { importHelmValues, leaves } from "../../scripts/import/helm-values.ts";
import { main as importMain } from "../../scripts/import.ts";
import { InputError, UsageError } from "../../scripts/lib/cli.ts";
import { parseSettings, SettingsError } from "../../scripts/settings/load.ts";
import type { Settings } from "../../scripts/settings/schema.ts";
import { buildStack, withAllComponents } from "../../scripts/stack/index.ts";
import { plain } from "../../scripts/generate/emit.ts";
import { cutoverNotes } from "../../scripts/notes/text.ts";
import { PREFLIGHT_CHECKS } from "../../scripts/cluster/checks-preflight.ts";
import { VERIFY_CHECKS } from "../../scripts/cluster/checks-verify.ts";
import { Kubectl } from "../../scripts/cluster/kubectl.ts";
import { runChecks } from "../../scripts/cluster/report.ts";
import { targetFrom } from "../../scripts/cluster/target.ts";
import { makeFakeKubectl } from "../cluster/fake-kubectl.ts";

type Any = Record<string, any>;
const FIXTURES = path.join(import.meta.dirname, "fixtures");
const ROOT = path.resolve(import.meta.dirname, "../..");
const chartValues = (file: string) => parse(fs.readFileSync(path.join(FIXTURES, file), "utf8")) as Record<string, unknown>;

/** Imports values and loads the result exactly as a settings.yaml would be loaded. */
function imported(values: Record<string, unknown>, release = "mcp-stack", namespace?: string) {
  const result = importHelmValues(values, { release, ...(namespace ? { namespace } : {}) });
  const settings = parseSettings(stringify(result.settings), "imported.yaml");
  const objects = buildStack({ settings }).map((o) => plain(o.object) as Any);
  const find = (kind: string, name: string): Any => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`${kind}/${name} not rendered`);
    return o;
  };
  const row = (value: string) => result.rows.find((r) => r.value === value);
  return { ...result, settings, objects, find, row };
}
const container = (o: Any, name?: string): Any => o.spec.template.spec.containers.find((c: Any) => !name || c.name === name);
const env = (c: Any) => Object.fromEntries((c.env ?? []).map((e: Any) => [e.name, e.value ?? e.valueFrom]));

describe("import of the chart's own values.yaml, chart 0.9.0", () => {
  const values = chartValues("chart-0.9.0-values.yaml");
  const r = imported(values);

  it("reports every value it read, once, and none is left for a decision", () => {
    expect(r.layout).toBe("0.9");
    expect(r.rows.map((x) => x.value).sort()).toEqual(leaves(values).map((l) => l.path).sort());
    expect(r.rows.filter((x) => x.status === "decide")).toEqual([]);
    for (const x of r.rows) expect(x.detail.length).toBeGreaterThan(3);
  });

  it("images: pinned tags stay pinned (latest is refused), repository and pull policy carry over", () => {
    expect(r.row("mcpContextForge.image.tag")).toMatchObject({ status: "dropped", detail: expect.stringContaining("unpinned") });
    expect(container(r.find("Deployment", "mcp-gateway")).image).toBe("ghcr.io/ibm/mcp-context-forge:v1.0.8");
    expect(container(r.find("Deployment", "mcp-gateway")).imagePullPolicy).toBe("Always");
    expect(container(r.find("StatefulSet", "postgres")).image).toMatch(/postgres:17$/);
    expect(r.row("mcpFastTimeServer.image.tag")).toMatchObject({ status: "mapped" });
    expect(container(r.find("Deployment", "fast-time-server")).image).toMatch(/fast-time-server:0\.9\.0$/);
  });

  it("replicas and HPA: 2-10 at the chart's 90 % targets", () => {
    const hpa = r.find("HorizontalPodAutoscaler", "mcp-gateway");
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    expect(hpa.spec.metrics.map((m: Any) => m.resource.target.averageUtilization)).toEqual([90, 90]);
    expect(r.find("Deployment", "fast-time-server").spec.replicas).toBe(2);
  });

  it("resources of the gateway, PostgreSQL, Redis and fast-time", () => {
    expect(container(r.find("Deployment", "mcp-gateway")).resources).toEqual({ limits: { cpu: "200m", memory: "1024Mi" }, requests: { cpu: "100m", memory: "512Mi" } });
    expect(container(r.find("StatefulSet", "postgres")).resources.limits).toEqual({ cpu: "1000m", memory: "1Gi" });
    expect(container(r.find("Deployment", "redis")).resources.requests).toEqual({ cpu: "50m", memory: "16Mi" });
    expect(container(r.find("Deployment", "fast-time-server")).resources.requests).toEqual({ cpu: "25m", memory: "10Mi" });
  });

  it("ingress: class nginx on gateway.local without TLS", () => {
    const ing = r.find("Ingress", "mcp-gateway");
    expect(ing.spec.ingressClassName).toBe("nginx");
    expect(ing.spec.rules[0].host).toBe("gateway.local");
    expect(ing.spec.tls).toBeUndefined();
  });

  it("persistence: the release's claim is adopted (no new claim), PGDATA where the chart kept it", () => {
    const pg = r.find("StatefulSet", "postgres");
    expect(pg.spec.template.spec.volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "mcp-stack-postgres-pvc" } });
    expect(r.objects.some((o) => o.kind === "PersistentVolumeClaim" && o.metadata.name === "postgres-data")).toBe(false);
    // IBM/mcp-context-forge v0.9.0 charts/mcp-stack/templates/deployment-postgres.yaml:67
    expect(env(container(pg)).PGDATA).toBe("/var/lib/postgresql/data/pgdata");
    expect(r.settings.redis.persistence.enabled).toBe(false);
  });

  it("the database and its owner are the chart's (postgresdb, admin)", () => {
    expect(env(container(r.find("StatefulSet", "postgres"))).POSTGRES_DB).toBe("postgresdb");
    expect(r.settings.postgres.user).toBe("admin");
  });

  it("admin UIs: both on in 0.9.0's values", () => {
    expect(r.settings.adminUIs).toEqual({ pgadmin: true, redisCommander: true });
    expect(r.objects.some((o) => o.kind === "Deployment" && o.metadata.name === "pgadmin")).toBe(true);
  });

  it("migration: the chart's limits", () => {
    expect(r.settings.migration).toMatchObject({ enabled: true, backoffLimit: 3, activeDeadlineSeconds: 600 });
  });

  it("gateway config: the chart's defaults (DB_POOL_SIZE 200, ENVIRONMENT=development) do not override ours", () => {
    expect(r.row("mcpContextForge.config.DB_POOL_SIZE")).toMatchObject({ status: "dropped", detail: expect.stringContaining("chart's default") });
    expect(r.settings.gateway.config.DB_POOL_SIZE).toBeUndefined();
    expect(r.settings.gateway.config.ENVIRONMENT).toBeUndefined();
  });

  it("credentials: never written, weak defaults refused, the runbook named", () => {
    const text = stringify(importHelmValues(values, { release: "mcp-stack" }).settings);
    for (const weak of ["changeme", "my-test-key", "my-test-salt", "test123", "admin123"]) expect(text).not.toContain(weak);
    expect(r.row("mcpContextForge.secret.JWT_SECRET_KEY")).toMatchObject({ status: "dropped", detail: expect.stringContaining("never written") });
    expect(r.row("postgres.credentials.password")?.status).toBe("dropped");
  });

  it("node placement and pull secrets: none in the chart's values, so none rendered", () => {
    expect(r.settings.nodeSelector).toEqual({});
    expect(r.row("global.imagePullSecrets")).toMatchObject({ status: "mapped", detail: "imagePullSecrets" });
  });
});

describe("import of the chart's own values files, chart 1.0.8", () => {
  it("values.yaml: the 1.x layout, every value accounted for, the bundled extras off", () => {
    const values = chartValues("chart-1.0.8-values.yaml");
    const r = imported(values);
    expect(r.layout).toBe("1.x");
    expect(r.rows.map((x) => x.value).sort()).toEqual(leaves(values).map((l) => l.path).sort());
    expect(r.rows.filter((x) => x.status === "decide")).toEqual([]);
    expect(r.row("pgbouncer.enabled")).toMatchObject({ status: "dropped", detail: expect.stringContaining("off") });
    expect(r.row("networkPolicies.enabled")?.status).toBe("dropped");
    expect(r.find("StatefulSet", "postgres").spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe("mcp-stack-postgres-pvc");
  });

  it("values-minikube.yaml (partial): its values mapped, the chart's default claim still adopted", () => {
    const r = imported(chartValues("chart-1.0.8-values-minikube.yaml"), "mcp-stack", "mcp");
    expect(r.rows.filter((x) => x.status === "decide")).toEqual([]);
    const gw = r.find("Deployment", "mcp-gateway");
    expect(gw.spec.replicas).toBe(1);
    expect(r.objects.some((o) => o.kind === "HorizontalPodAutoscaler")).toBe(false);
    expect(container(gw).image).toBe("ghcr.io/ibm/mcp-context-forge:1.0.0-RC-3");
    expect(container(gw).imagePullPolicy).toBe("Never");
    expect(r.settings.postgres.persistence).toMatchObject({ size: "2Gi", storageClassName: "standard", existingClaim: "mcp-stack-postgres-pvc" });
    expect(r.settings.gateway.config).toMatchObject({ SSRF_ALLOW_PRIVATE_NETWORKS: "true" });
    expect(r.row("postgres.persistence.enabled")?.detail).toContain("chart's default true");
  });
});

describe("import of hand-made values", () => {
  it("names follow the chart's fullname rule (fullnameOverride, nameOverride, a release containing the chart name)", () => {
    const claim = (values: Record<string, unknown>, release: string) =>
      importHelmValues({ postgres: { persistence: { enabled: true } }, ...values }, { release }).settings as Any;
    expect(claim({}, "prod").postgres.persistence.existingClaim).toBe("prod-mcp-stack-postgres-pvc");
    expect(claim({}, "mcp-stack-prod").postgres.persistence.existingClaim).toBe("mcp-stack-prod-postgres-pvc");
    expect(claim({ global: { fullnameOverride: "gw" } }, "prod").postgres.persistence.existingClaim).toBe("gw-postgres-pvc");
    expect(claim({ global: { nameOverride: "mcp" } }, "prod").migrateFromHelm.fullname).toBe("prod-mcp");
  });

  it("unknown and unsupported values are decisions, never silent", () => {
    const r = importHelmValues(
      {
        mcpContextForge: { extraEnv: [{ name: "X", value: "1" }], containerPort: 8000, config: { ROBOTS: "a\nb" } },
        pgbouncer: { enabled: true, pool: { mode: "transaction" } },
        postgres: { image: { tag: "16" }, persistence: { enabled: true } },
        mystery: { knob: 3 },
      },
      { release: "r" },
    );
    const decide = (v: string) => r.rows.find((x) => x.value === v && x.status === "decide");
    for (const v of ["mcpContextForge.extraEnv", "mcpContextForge.containerPort", "mcpContextForge.config.ROBOTS", "pgbouncer.enabled", "pgbouncer.pool.mode", "mystery.knob", "postgres.image.tag"]) {
      expect(decide(v), v).toBeDefined();
    }
    expect(decide("postgres.image.tag")!.detail).toContain("another major version");
  });

  it("placement, pull secrets, annotations and user-changed config map onto settings and render", () => {
    const values = {
      global: { imagePullSecrets: ["ghcr-creds"] },
      mcpContextForge: {
        nodeSelector: { pool: "mcp" },
        tolerations: [{ key: "dedicated", operator: "Equal", value: "mcp", effect: "NoSchedule" }],
        ingress: { annotations: { "example.com/team": "platform" } },
        config: { LOG_LEVEL: "DEBUG", DB_POOL_SIZE: "200" },
      },
      postgres: { nodeSelector: { pool: "data" }, persistence: { annotations: { "backup.velero.io/backup-volumes": "data" } } },
    };
    const r = imported(values);
    const spec = r.find("Deployment", "mcp-gateway").spec.template.spec;
    expect(spec.imagePullSecrets).toEqual([{ name: "ghcr-creds" }]);
    expect(spec.nodeSelector).toEqual({ pool: "mcp" });
    expect(spec.tolerations).toEqual(values.mcpContextForge.tolerations);
    expect(r.find("Ingress", "mcp-gateway").metadata.annotations).toMatchObject({ "example.com/team": "platform" });
    expect(r.find("ConfigMap", "mcp-gateway-config").data.LOG_LEVEL).toBe("DEBUG");
    // 200 is the 0.9 chart's default, so it is not a choice the user made.
    expect(r.settings.gateway.config.DB_POOL_SIZE).toBeUndefined();
    expect(r.row("postgres.nodeSelector")).toMatchObject({ status: "decide", detail: expect.stringContaining("one nodeSelector") });
    expect(r.row("postgres.persistence.annotations")?.status).toBe("mapped");
  });
});

describe("npm run import (CLI, in-process)", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-import-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = async (argv: string[]) => {
    let out = "";
    const code = await importMain(argv, { stdout: (t) => void (out += t), overlaysDir: dir });
    return { code, out };
  };

  it("writes a settings.yaml that loads, and prints the table and a summary", async () => {
    const r = await run(["--from-helm", path.join(FIXTURES, "chart-1.0.8-values-minikube.yaml"), "--env", "legacy", "--namespace", "mcp-legacy"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^value\s+status\s+setting \/ reason$/m);
    expect(r.out).toMatch(/mcpContextForge\.replicaCount\s+mapped\s+gateway\.replicas/);
    expect(r.out).toMatch(/68 values read: \d+ mapped, \d+ dropped, 0 need a decision/);
    const text = fs.readFileSync(path.join(dir, "legacy", "settings.yaml"), "utf8");
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/settings\.schema\.json/);
    expect(parseSettings(text, "legacy").namespace).toBe("mcp-legacy");
    expect(text).not.toContain("changeme");
  });

  it("refuses to overwrite without --force, and names the file", async () => {
    await expect(run(["--from-helm", path.join(FIXTURES, "chart-1.0.8-values-minikube.yaml"), "--env", "legacy"])).rejects.toThrow(/legacy\/settings\.yaml exists/);
  });

  it("usage errors: missing flags, bad names; bad input: unreadable or non-mapping values files", async () => {
    await expect(run(["--env", "x"])).rejects.toBeInstanceOf(UsageError);
    await expect(run(["--from-helm", "v.yaml"])).rejects.toThrow(/--env is required/);
    await expect(run(["--from-helm", "v.yaml", "--env", "Bad_Name"])).rejects.toThrow(/not a DNS label/);
    const unreadable = await run(["--from-helm", path.join(dir, "missing.yaml"), "--env", "x"]).catch((e: InputError) => e.format());
    expect(unreadable).toMatch(/missing\.yaml: cannot read: no such file or directory \(expected an existing path\)/);
    const list = path.join(dir, "list.yaml");
    fs.writeFileSync(list, "- a\n- b\n");
    await expect(run(["--from-helm", list, "--env", "x"])).rejects.toBeInstanceOf(InputError);
    expect(fs.existsSync(path.join(dir, "x"))).toBe(false);
    expect((await run(["--help"])).out).toContain("--from-helm FILE");
  });
});

/** Each environment's own settings with adoption switched on. */
function adopting(envName: string, extra: (s: Any) => void = () => {}): Settings {
  const raw = (parse(fs.readFileSync(path.join(ROOT, "overlays", envName, "settings.yaml"), "utf8")) ?? {}) as Any;
  raw.postgres = { ...raw.postgres, dataPath: "pg17", persistence: { ...raw.postgres?.persistence, enabled: true, existingClaim: "old-postgres-pvc" } };
  delete raw.postgres.persistence.manualVolume;
  raw.redis = { ...raw.redis, persistence: { ...raw.redis?.persistence, enabled: true, existingClaim: "old-redis-pvc" } };
  delete raw.redis.persistence.manualVolume;
  raw.postgres.database = "postgresdb";
  raw.postgres.user = "admin";
  extra(raw);
  return parseSettings(stringify(raw), `${envName} (adopting)`);
}

describe("adoption settings in every environment", () => {
  for (const envName of ["dev", "minikube", "eks", "manual-pv"]) {
    it(`${envName}: adopted claims mounted, not rendered; PGDATA, database and owner from settings`, () => {
      const s = withAllComponents(adopting(envName));
      const objects = buildStack({ settings: s }).map((o) => plain(o.object) as Any);
      const claims = objects.filter((o) => o.kind === "PersistentVolumeClaim").map((o) => o.metadata.name);
      expect(claims).not.toContain("postgres-data");
      expect(claims).not.toContain("redis-data");
      expect(objects.some((o) => o.kind === "PersistentVolume" && /postgres|redis/.test(o.metadata.name))).toBe(false);
      const pg = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "postgres")!;
      expect(pg.spec.template.spec.volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "old-postgres-pvc" } });
      expect(env(container(pg))).toMatchObject({ PGDATA: "/var/lib/postgresql/data/pg17", POSTGRES_DB: "postgresdb" });
      const redis = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "redis")!;
      expect(redis.spec.template.spec.volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "old-redis-pvc" } });
      const gw = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "mcp-gateway")!;
      expect(env(container(gw)).POSTGRES_DB).toBe("postgresdb");
    });
  }

  it("an adopted claim with a manual volume, or without persistence, is refused with the key path", () => {
    expect(() => adopting("manual-pv", (s) => (s.postgres.persistence.manualVolume = { type: "hostPath", path: "/data/pg" }))).toThrow(
      /postgres\.persistence\.manualVolume: an adopted claim is already bound/,
    );
    expect(() => adopting("dev", (s) => (s.redis.persistence.enabled = false))).toThrow(SettingsError);
  });
});

describe("notes --migrate-from-helm: the cutover runbook", () => {
  const forSource = (envName: string) => cutoverNotes(envName, adopting(envName, (s) => (s.migrateFromHelm = { release: "prod", fullname: "prod-mcp-stack" })), "prod");

  it("keeps the claims, copies the Secrets before uninstalling, dumps, scales down, uninstalls, deploys, migrates, verifies, rolls back", () => {
    const text = forSource("manual-pv");
    const order = [
      "annotate pvc old-postgres-pvc helm.sh/resource-policy=keep",
      "create secret generic mcp-gateway-credentials",
      "get secret prod-mcp-stack-gateway-secret -o jsonpath='{.data.JWT_SECRET_KEY}'",
      "get secret prod-mcp-stack-postgres-secret -o jsonpath='{.data.POSTGRES_PASSWORD}'",
      "pg_dump",
      "scale deployment prod-mcp-stack-mcpgateway prod-mcp-stack-postgres prod-mcp-stack-redis --replicas=0",
      "helm uninstall prod -n mcp",
      "npm run preflight -- manual-pv",
      "argocd app sync mcp-stack-manual-pv",
      "logs -f job/mcp-migration-",
      "npm run verify -- manual-pv --token-file",
      "pg_restore --clean",
    ];
    let at = 0;
    for (const needle of order) {
      const i = text.indexOf(needle, at);
      expect(i, needle).toBeGreaterThanOrEqual(0);
      at = i;
    }
  });

  it("per credential source: local writes the git-ignored env file, externalSecrets names the store keys", () => {
    expect(forSource("dev")).toContain("> overlays/dev/credentials/mcp-gateway-credentials.env)");
    expect(forSource("dev")).toContain("kubectl apply -k overlays/dev");
    expect(forSource("eks")).toMatch(/write each key to mcp-stack\/eks\/mcp-gateway-credentials in ClusterSecretStore aws-secrets-manager/);
  });

  it("without a migrateFromHelm block the chart's naming rule gives the object names", () => {
    const s = parseSettings(fs.readFileSync(path.join(ROOT, "overlays", "dev", "settings.yaml"), "utf8"), "dev");
    const text = cutoverNotes("dev", s, "mcp-stack-staging");
    expect(text).toContain("mcp-stack-staging-gateway-secret");
    expect(text).toContain("adopts no claim");
  });
});

describe("cluster checks for a cutover", () => {
  const fake = makeFakeKubectl();
  const claim = (extra: Any = {}) => ({
    metadata: { labels: { "app.kubernetes.io/managed-by": "Helm" }, annotations: { "helm.sh/resource-policy": "keep" }, ...extra.metadata },
    spec: { volumeName: "pvc-123" },
    status: { phase: extra.phase ?? "Bound" },
  });
  const preflight = async (rules: { match: string; json?: unknown; code?: number; stderr?: string }[]) => {
    fake.setScenario(rules);
    fake.reset();
    const k = new Kubectl({ exec: fake.exec });
    const target = targetFrom("dev", adopting("dev"), "");
    const check = PREFLIGHT_CHECKS.filter((c) => c.id === "adopted-claims");
    return runChecks(check, { k, target, context: "ctx", server: { major: 1, minor: 33, git: "v1.33.1" } });
  };
  const pods = (items: Any[]) => ({ match: "^get pods -n mcp-dev -o json$", json: { items } });
  const notFound = { match: "^get persistentvolumeclaim old-redis-pvc", code: 1, stderr: 'Error from server (NotFound): persistentvolumeclaims "old-redis-pvc" not found\n' };

  it("preflight: adopted claims Bound, kept and free pass; a missing one fails", async () => {
    const results = await preflight([pods([]), { match: "^get persistentvolumeclaim old-postgres-pvc -n mcp-dev", json: claim() }, notFound]);
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(byId["adopted-claims/old-postgres-pvc"]).toMatchObject({ status: "pass" });
    expect(byId["adopted-claims/old-redis-pvc"]).toMatchObject({ status: "fail", detail: expect.stringContaining("not found") });
  });

  it("preflight: a claim mounted by a running pod of the old release, Pending, or without the keep policy fails", async () => {
    const running = { metadata: { name: "prod-mcp-stack-postgres-abc" }, status: { phase: "Running" }, spec: { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "old-postgres-pvc" } }] } };
    let results = await preflight([pods([running]), { match: "^get persistentvolumeclaim old-postgres-pvc", json: claim() }, { match: "^get persistentvolumeclaim old-redis-pvc", json: claim({ phase: "Pending" }) }]);
    expect(results.find((r) => r.id === "adopted-claims/old-postgres-pvc")).toMatchObject({ status: "fail", detail: expect.stringContaining("prod-mcp-stack-postgres-abc") });
    expect(results.find((r) => r.id === "adopted-claims/old-redis-pvc")).toMatchObject({ status: "fail", detail: expect.stringContaining("Pending") });
    results = await preflight([pods([]), { match: "^get persistentvolumeclaim old-", json: claim({ metadata: { annotations: {} } }) }]);
    expect(results[0]).toMatchObject({ status: "fail", detail: expect.stringContaining("helm.sh/resource-policy: keep") });
  });

  describe("verify --token-file: the gateway still accepts a token the release issued", () => {
    let server: http.Server;
    let url = "";
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        const ok = req.url === "/v1/auth/email/me" && req.headers.authorization === "Bearer aaa.bbb.ccc";
        res.writeHead(ok ? 200 : 401).end(ok ? '{"email":"admin@example.com"}' : '{"detail":"Invalid token"}');
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => server.close());
    const verifyToken = (token: string, withUrl = true) => {
      const target = targetFrom("dev", adopting("dev"), "");
      const check = VERIFY_CHECKS.filter((c) => c.id === "old-token");
      return runChecks(check, { k: new Kubectl({ exec: fake.exec }), target, token, ...(withUrl ? { url } : {}) });
    };

    it("passes when accepted, fails with the remedy when refused, asks for --url without one", async () => {
      expect((await verifyToken("aaa.bbb.ccc"))[0]).toMatchObject({ status: "pass" });
      const refused = (await verifyToken("xxx.yyy.zzz"))[0]!;
      expect(refused).toMatchObject({ status: "fail", detail: expect.stringContaining("HTTP 401") });
      expect(JSON.stringify(refused)).not.toContain("xxx.yyy.zzz");
      expect((await verifyToken("aaa.bbb.ccc", false))[0]).toMatchObject({ status: "warn" });
    });
  });
});
