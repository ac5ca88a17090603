// Issue 11, "Defects to fix": each defect as the rendered overlays show it (kustomize builds of every
// environment), so each test fails on the output from before the fix. Values taken from the gateway's or an
// image's source name the file:line in the test name.
import { describe, expect, it } from "vitest";
import { containersOf, envOf, podSpecOf, renderEnv, settingsFrom, type Any } from "./day2/helpers.ts";
import { SettingsError } from "../scripts/settings/load.ts";

const ENVS = ["dev", "minikube", "eks", "manual-pv"] as const;
const rendered = Object.fromEntries(await Promise.all(ENVS.map(async (env) => [env, await renderEnv(env)] as const))) as Record<
  (typeof ENVS)[number],
  Any[]
>;
const find = (env: (typeof ENVS)[number], kind: string, name: string): Any => {
  const o = rendered[env].find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${env}: ${kind}/${name} not rendered`);
  return o;
};
const maybe = (env: (typeof ENVS)[number], kind: string, name: string): Any | undefined =>
  rendered[env].find((x) => x.kind === kind && x.metadata.name === name);
const configMapNamed = (env: (typeof ENVS)[number], prefix: string): Any =>
  rendered[env].find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith(`${prefix}-`))!;
const gatewayConfigOf = (env: (typeof ENVS)[number]) => configMapNamed(env, "mcp-gateway-config").data as Record<string, string>;
const settingsProblem = (yaml: string): string => {
  try {
    settingsFrom(yaml);
  } catch (err) {
    if (err instanceof SettingsError) return err.message;
    throw err;
  }
  return "";
};

describe("defect 4: Redis Commander runs as the image's UID (joeferner/redis-commander v0.9.0 Dockerfile:24-28,37)", () => {
  it.each(["dev"] as const)("%s: UID 10000 reads the 0640 config files the image owns", (env) => {
    const sc = podSpecOf(find(env, "Deployment", "redis-commander")).securityContext;
    expect(sc.runAsUser).toBe(10000);
    expect(sc.runAsNonRoot).toBe(true);
  });
});

describe("defect 5: cookie security follows TLS (mcpgateway/utils/security_cookies.py:86)", () => {
  it.each(ENVS)("%s: ENVIRONMENT=production only where the gateway is served over HTTPS", (env) => {
    const config = gatewayConfigOf(env);
    const tls = rendered[env].some((o) => o.kind === "Ingress" && o.metadata.name === "mcp-gateway" && o.spec.tls?.length);
    expect(config.ENVIRONMENT === "production").toBe(tls);
    expect(config.SECURE_COOKIES).toBe(String(tls));
  });
  it("settings that force Secure cookies on plain http are refused, naming the key", () => {
    expect(settingsProblem("ingress:\n  tls:\n    enabled: false\ngateway:\n  config:\n    ENVIRONMENT: production\n")).toMatch(
      /gateway\.config\.ENVIRONMENT: .*Secure/,
    );
    expect(settingsProblem("ingress:\n  tls:\n    enabled: false\ngateway:\n  config:\n    SECURE_COOKIES: \"true\"\n")).toMatch(
      /gateway\.config\.SECURE_COOKIES/,
    );
  });
});

describe("defect 6: PostgreSQL's max_connections covers every pool (mcpgateway/db.py:224-228, one QueuePool per worker)", () => {
  it.each(ENVS)("%s: workers × (DB_POOL_SIZE + DB_MAX_OVERFLOW) × (max pods + surge) + other clients ≤ max_connections", (env) => {
    const config = gatewayConfigOf(env);
    const hpa = maybe(env, "HorizontalPodAutoscaler", "mcp-gateway");
    const deployment = find(env, "Deployment", "mcp-gateway");
    const pods = (hpa ? hpa.spec.maxReplicas : deployment.spec.replicas) + (deployment.spec.strategy?.rollingUpdate?.maxSurge ?? 1);
    const perPod = Number(config.GUNICORN_WORKERS) * (Number(config.DB_POOL_SIZE) + Number(config.DB_MAX_OVERFLOW));
    const args: string[] = find(env, "StatefulSet", "postgres").spec.template.spec.containers[0].args ?? [];
    const flag = args.find((a) => a.startsWith("max_connections="));
    expect(flag, "postgres is started with -c max_connections=N").toBeDefined();
    expect(args[args.indexOf(flag!) - 1]).toBe("-c");
    const jobs = rendered[env].filter((o) => o.kind === "Job").length;
    expect(pods * perPod + jobs).toBeLessThanOrEqual(Number(flag!.split("=")[1]));
  });
  it("settings whose pools exceed an explicit postgres.maxConnections are refused with the arithmetic", () => {
    const message = settingsProblem("postgres:\n  maxConnections: 100\ngateway:\n  config:\n    DB_POOL_SIZE: \"15\"\n    DB_MAX_OVERFLOW: \"30\"\n");
    expect(message).toMatch(/postgres\.maxConnections: 11 gateway pods .*DB_POOL_SIZE 15 \+ DB_MAX_OVERFLOW 30.* above max_connections 100/);
    expect(settingsProblem("gateway:\n  config:\n    DB_POOL_SIZE: lots\n")).toMatch(/gateway\.config\.DB_POOL_SIZE: "lots" is not a whole number/);
  });
});

describe("defect 9: ExternalSecret remoteRefs spell out ESO's defaults (no endless drift in Argo CD)", () => {
  it("eks: every remoteRef has conversionStrategy Default, decodingStrategy None, metadataPolicy None", () => {
    const secrets = rendered.eks.filter((o) => o.kind === "ExternalSecret");
    expect(secrets.length).toBeGreaterThan(0);
    for (const es of secrets) {
      for (const d of es.spec.data) {
        expect(d.remoteRef).toMatchObject({ conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" });
      }
    }
  });
});

describe("defect 10: objects of CRD kinds skip Argo CD's dry run when their CRD is missing", () => {
  const builtIn = /^(v1|(apps|batch|policy|autoscaling|[a-z.]+\.k8s\.io)\/[a-z0-9]+)$/;
  it.each(ENVS)("%s: every object whose API group is not Kubernetes' own carries SkipDryRunOnMissingResource=true", (env) => {
    for (const o of rendered[env].filter((x) => !builtIn.test(x.apiVersion))) {
      const options = (o.metadata.annotations?.["argocd.argoproj.io/sync-options"] ?? "").split(",");
      expect(options, `${o.kind}/${o.metadata.name}`).toContain("SkipDryRunOnMissingResource=true");
    }
  });
  it("eks renders such objects (ExternalSecret, ServiceMonitor, PrometheusRule)", () => {
    const kinds = new Set(rendered.eks.filter((x) => !builtIn.test(x.apiVersion)).map((o) => o.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(["ExternalSecret", "ServiceMonitor", "PrometheusRule"]));
  });
});

describe("defect 11: DNS egress peers are a setting", () => {
  it.each(ENVS)("%s: the default is kube-system's kube-dns pods on port 53", (env) => {
    const dns = find(env, "NetworkPolicy", "allow-dns-egress").spec.egress[0];
    expect(dns.to).toEqual([
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
      },
    ]);
  });
  it("node-local DNS: network.dnsPeers adds 169.254.20.10", async () => {
    const { buildStack } = await import("../scripts/stack/index.ts");
    const { plain } = await import("../scripts/generate/emit.ts");
    const settings = settingsFrom(
      "network:\n  dnsPeers:\n    - ipBlock: { cidr: 169.254.20.10/32 }\n    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }\n      podSelector: { matchLabels: { k8s-app: kube-dns } }\n",
    );
    const policy = buildStack({ settings }).map((o) => plain(o.object) as Any).find((o) => o.metadata.name === "allow-dns-egress")!;
    expect(policy.spec.egress[0].to[0]).toEqual({ ipBlock: { cidr: "169.254.20.10/32" } });
    expect(policy.spec.egress[0].to).toHaveLength(2);
  });
});

describe("defect 12: pgAdmin on a read-only root (pgadmin4 REL-9_8 pkg/docker/entrypoint.sh:40, 182-184)", () => {
  it("dev: config_distro.py is written to the writable data volume and the listen address is explicit", () => {
    const d = find("dev", "Deployment", "pgadmin");
    const c = containersOf(d)[0]!;
    const env = envOf(c);
    expect(env.PGADMIN_LISTEN_ADDRESS).toBe("0.0.0.0");
    const distro: string = env.PGADMIN_CUSTOM_CONFIG_DISTRO_FILE;
    const mount = c.volumeMounts.find((m: Any) => distro.startsWith(`${m.mountPath}/`));
    expect(mount, "config_distro.py lies on a mounted volume").toBeDefined();
    expect(podSpecOf(d).volumes.find((v: Any) => v.name === mount.name).emptyDir).toBeDefined();
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
  });
});
