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
    // An Ingress with tls, or an HTTPRoute on an HTTPS listener (the stack's own Gateway's, or the platform's named one).
    const tls = rendered[env].some(
      (o) =>
        o.metadata.name === "mcp-gateway" &&
        ((o.kind === "Ingress" && o.spec.tls?.length) || (o.kind === "HTTPRoute" && o.spec.parentRefs.some((p: { sectionName?: string }) => p.sectionName === "https"))),
    );
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
  // Gateway API lives under k8s.io but is installed as CRDs.
  const builtInVersion = /^(v1|(apps|batch|policy|autoscaling|[a-z.]+\.k8s\.io)\/[a-z0-9]+)$/;
  const builtIn = { test: (v: string) => builtInVersion.test(v) && !v.startsWith("gateway.networking.k8s.io/") };
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
  it("minikube and manual-pv render Gateway API objects, CRD kinds too", () => {
    expect(new Set(rendered.minikube.filter((x) => !builtIn.test(x.apiVersion)).map((o) => o.kind))).toEqual(new Set(["Gateway", "HTTPRoute"]));
    expect(new Set(rendered["manual-pv"].filter((x) => !builtIn.test(x.apiVersion)).map((o) => o.kind))).toEqual(new Set(["HTTPRoute", "ReferenceGrant"]));
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

describe("defect 3: the gateway reaches MCP servers, and SSRF settings agree with its NetworkPolicy (mcpgateway/config.py:683-728)", () => {
  const gatewayEgress = (env: (typeof ENVS)[number]) => find(env, "NetworkPolicy", "mcp-gateway").spec.egress as Any[];
  it.each(ENVS)("%s: public addresses on 443 and 80, the cluster's and other private ranges excepted", (env) => {
    const pub = gatewayEgress(env).find((r) => r.to.some((p: Any) => p.ipBlock?.cidr === "0.0.0.0/0"));
    expect(pub, "an egress rule to 0.0.0.0/0").toBeDefined();
    expect(pub!.to[0].ipBlock.except).toEqual(expect.arrayContaining(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"]));
    expect(pub!.ports.map((p: Any) => p.port).sort()).toEqual([443, 80].sort());
  });
  it.each(ENVS)("%s: the in-cluster fast-time server is reachable by NetworkPolicy and by SSRF (common/validators.py:1541-1555)", (env) => {
    const fast = gatewayEgress(env).find((r) => r.to.some((p: Any) => p.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "fast-time-server"));
    expect(fast).toBeDefined();
    const config = gatewayConfigOf(env);
    expect(config.SSRF_PROTECTION_ENABLED).toBe("true");
    const allowed = JSON.parse(config.SSRF_ALLOWED_NETWORKS ?? "[]") as string[];
    const privateOk = config.SSRF_ALLOW_PRIVATE_NETWORKS === "true";
    // The Service CIDR of the environment (the fast-time URL resolves to its ClusterIP).
    const serviceCidr = env === "eks" ? "172.20.0.0/16" : "10.96.0.0/12";
    expect(privateOk || allowed.includes(serviceCidr)).toBe(true);
  });
  it("every private CIDR the NetworkPolicy opens is in SSRF_ALLOWED_NETWORKS (settings gateway.egressCidrs)", async () => {
    const { buildStack } = await import("../scripts/stack/index.ts");
    const { plain } = await import("../scripts/generate/emit.ts");
    const objects = buildStack({ settings: settingsFrom("gateway:\n  egressCidrs: [10.20.0.0/16]\n") }).map((o) => plain(o.object) as Any);
    const np = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "mcp-gateway")!;
    const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "mcp-gateway-config")!.data;
    expect(np.spec.egress.some((r: Any) => r.to.some((p: Any) => p.ipBlock?.cidr === "10.20.0.0/16"))).toBe(true);
    expect(config.SSRF_ALLOW_PRIVATE_NETWORKS).toBe("false");
    expect(JSON.parse(config.SSRF_ALLOWED_NETWORKS)).toEqual(expect.arrayContaining(["10.20.0.0/16", "10.96.0.0/12"]));
    const off = buildStack({ settings: settingsFrom("gateway:\n  publicEgress:\n    enabled: false\n") }).map((o) => plain(o.object) as Any);
    const offNp = off.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "mcp-gateway")!;
    expect(offNp.spec.egress.some((r: Any) => r.to.some((p: Any) => p.ipBlock?.cidr === "0.0.0.0/0"))).toBe(false);
  });
});

/** Argo CD's wave of an object (0 when unannotated). */
const waveOf = (o: Any) => Number(o.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? 0);
/** Secrets an object reads (env, envFrom, volumes, ServiceMonitor bearer credentials). */
function secretsRead(o: Any): string[] {
  const out: string[] = [];
  JSON.stringify(o, (key, value) => {
    if (key === "secretKeyRef" || key === "secretRef") out.push(value.name);
    if (key === "secret" && value?.secretName) out.push(value.secretName);
    if (key === "credentials" && value?.name && o.kind === "ServiceMonitor") out.push(value.name);
    return value;
  });
  return out;
}

describe("defect 1: no wave depends on a later one (eks first install)", () => {
  it("eks: the metrics token is no ExternalSecret whose remote key nobody has minted yet", () => {
    expect(maybe("eks", "ExternalSecret", "mcp-gateway-metrics-token")).toBeUndefined();
    for (const es of rendered.eks.filter((o) => o.kind === "ExternalSecret")) {
      expect(es.metadata.name).not.toBe("mcp-gateway-metrics-token");
    }
  });
  it.each(["eks", "manual-pv"] as const)("%s: every Secret an object reads exists, or is created, in an earlier wave (or the same config wave)", (env) => {
    const objects = rendered[env];
    const createdAt = new Map<string, number>();
    for (const o of objects) {
      if (o.kind === "ExternalSecret") createdAt.set(o.spec.target?.name ?? o.metadata.name, waveOf(o));
      const creates = o.metadata.annotations?.["mcp-stack.dev/creates"];
      if (creates?.startsWith("Secret/")) createdAt.set(creates.slice("Secret/".length), waveOf(o));
    }
    const beforehand = env === "manual-pv" ? ["mcp-gateway-credentials", "postgres-credentials", "redis-credentials"] : [];
    for (const o of objects) {
      for (const name of secretsRead(o)) {
        if (beforehand.includes(name) || (env === "eks" && name === "mcp-gateway-tls")) continue;
        const at = createdAt.get(name);
        expect(at, `${o.kind}/${o.metadata.name} reads Secret ${name}`).toBeDefined();
        if (o.metadata.annotations?.["mcp-stack.dev/creates"] === `Secret/${name}`) continue;
        expect(at!, `${o.kind}/${o.metadata.name} (wave ${waveOf(o)}) reads Secret ${name} (wave ${at})`).toBeLessThanOrEqual(waveOf(o));
      }
    }
  });
  it("eks: the token Job is a Sync hook before the ServiceMonitor, reaching only the API server with a short-lived token", () => {
    const job = rendered.eks.find((o) => o.kind === "Job" && o.metadata.name.startsWith("mcp-metrics-token-"))!;
    const monitor = find("eks", "ServiceMonitor", "mcp-gateway");
    expect(job.metadata.annotations["argocd.argoproj.io/hook"]).toBe("Sync");
    expect(waveOf(job)).toBeLessThan(waveOf(monitor));
    const gatewayCredentials = rendered.eks.find((o) => o.kind === "ExternalSecret" && o.metadata.name === "mcp-gateway-credentials")!;
    expect(waveOf(gatewayCredentials)).toBeLessThan(waveOf(job));
    const spec = podSpecOf(job);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.volumes.find((v: Any) => v.projected)?.projected.sources[0].serviceAccountToken.expirationSeconds).toBeLessThanOrEqual(3600);
    const role = find("eks", "Role", "mcp-metrics-token");
    expect(role.rules.filter((r: Any) => r.verbs.includes("patch")).every((r: Any) => r.resourceNames?.join() === "mcp-gateway-metrics-token")).toBe(true);
    const policy = find("eks", "NetworkPolicy", "mcp-metrics-token");
    expect(policy.spec.ingress).toEqual([]);
    expect(policy.spec.egress[0].ports.map((p: Any) => p.port)).toEqual([443, 6443]);
  });
});

describe("defect 8: kubectl apply after a config change at the same version, and a real wait for the schema", () => {
  it("a gateway config change renames the migration Job (its template references the hash-suffixed ConfigMap)", async () => {
    const { migrationJobName } = await import("../scripts/stack/migration.ts");
    const a = migrationJobName(settingsFrom("{}\n"));
    const b = migrationJobName(settingsFrom("gateway:\n  config:\n    LOG_LEVEL: DEBUG\n"));
    expect(a).toMatch(/^mcp-migration-v1-0-8-[0-9a-f]{8}$/);
    expect(b).not.toBe(a);
    expect(migrationJobName(settingsFrom("{}\n"))).toBe(a);
  });
  it.each(ENVS)("%s: every Job that reads a generated ConfigMap carries a content hash in its name", (env) => {
    const generated = rendered[env].filter((o) => o.kind === "ConfigMap" && /-[a-z0-9]{10}$/.test(o.metadata.name)).map((o) => o.metadata.name);
    for (const job of rendered[env].filter((o) => o.kind === "Job")) {
      const refs = JSON.stringify(job.spec.template);
      if (generated.some((name) => refs.includes(`"${name}"`))) expect(job.metadata.name).toMatch(/-[0-9a-f]{8}$/);
    }
  });
  it.each(ENVS)("%s: the gateway waits for the schema at head in an init container (utils/check_schema_at_head.py, bootstrap_db.py:867-876)", (env) => {
    const spec = podSpecOf(find(env, "Deployment", "mcp-gateway"));
    const init = (spec.initContainers ?? []).find((c: Any) => c.name === "wait-for-schema");
    expect(init).toBeDefined();
    expect(init.command.join(" ")).toMatch(/until python3 -m mcpgateway\.utils\.check_schema_at_head; do .*sleep/);
    expect(init.envFrom).toEqual(spec.containers[0].envFrom);
    expect(envOf(init).DATABASE_URL).toBe(envOf(spec.containers[0]).DATABASE_URL);
  });
});

describe("defect 2: ingress-nginx on bare metal (no load balancer status, a hostNetwork controller)", async () => {
  const { buildStack } = await import("../scripts/stack/index.ts");
  const { plain } = await import("../scripts/generate/emit.ts");
  const bareMetal = (extra = "") =>
    buildStack({
      settings: settingsFrom(
        `ingress:\n  kind: ingress\n  controller: ingress-nginx\n  controllerHostNetwork: true\n  nodeCidrs: [192.168.10.0/24]\n  controllerPublishesStatus: false\n${extra}`,
      ),
    }).map((o) => plain(o.object) as Any);
  it("manual-pv routes through a Gateway (HTTPRoutes), so no Ingress waits for a load balancer status there", () => {
    expect(rendered["manual-pv"].filter((o) => o.kind === "Ingress")).toEqual([]);
    expect(rendered["manual-pv"].some((o) => o.kind === "HTTPRoute")).toBe(true);
  });
  it("ingress.controllerPublishesStatus false: the Ingresses say so for Argo CD's health customization", () => {
    const ingresses = bareMetal().filter((o) => o.kind === "Ingress");
    expect(ingresses.length).toBeGreaterThan(0);
    for (const ingress of ingresses) expect(ingress.metadata.annotations["mcp-stack.dev/load-balancer-status"]).toBe("not-published");
    for (const env of ["minikube"] as const) {
      for (const ingress of rendered[env].filter((o) => o.kind === "Ingress")) {
        expect(ingress.metadata.annotations["mcp-stack.dev/load-balancer-status"]).toBeUndefined();
      }
    }
  });
  it("a hostNetwork controller: the gateway and fast-time admit the nodes' addresses, not a namespace", () => {
    const objects = bareMetal();
    for (const name of ["mcp-gateway", "fast-time-server"]) {
      const policy = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === name)!;
      const from = policy.spec.ingress.flatMap((r: Any) => r.from);
      expect(from).toContainEqual({ ipBlock: { cidr: "192.168.10.0/24" } });
      expect(from.some((p: Any) => p.namespaceSelector && !p.podSelector)).toBe(false);
    }
  });
  it("a hostNetwork controller without node CIDRs is refused at settings load", () => {
    expect(settingsProblem("ingress:\n  kind: ingress\n  controllerHostNetwork: true\n")).toMatch(/ingress\.nodeCidrs: a hostNetwork controller/);
  });
});

describe("defect 7: eks TLS and storage rest on what the overlay renders", () => {
  it("eks: the ALB's HTTPS listener names its ACM certificate; no TLS Secret that the ALB would ignore", () => {
    const ingress = find("eks", "Ingress", "mcp-gateway");
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]).toMatch(/^arn:aws:acm:/);
    expect(ingress.spec.tls[0].secretName).toBeUndefined();
  });
  it("eks: the gp3 StorageClass its claims name is rendered (EBS CSI, WaitForFirstConsumer, expandable), before the claims", () => {
    const sc = find("eks", "StorageClass", "gp3");
    expect(sc).toMatchObject({ provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" }, volumeBindingMode: "WaitForFirstConsumer", allowVolumeExpansion: true });
    for (const claim of rendered.eks.filter((o) => o.kind === "PersistentVolumeClaim" && o.spec.storageClassName === "gp3")) {
      expect(waveOf(sc)).toBeLessThan(waveOf(claim));
    }
    expect(sc.metadata.annotations["argocd.argoproj.io/sync-options"]).toContain("Prune=false");
  });
  it("the AppProject admits StorageClass for eks", async () => {
    const fs = await import("node:fs");
    const { parse } = await import("yaml");
    const project = parse(fs.readFileSync(new URL("../argocd/appproject-mcp-stack.yaml", import.meta.url), "utf8"));
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: "storage.k8s.io", kind: "StorageClass" });
  });
});

describe("defect 12: ALB rollouts and source range, manual-pv's TLS Secret", () => {
  it("eks: the namespace turns on the ALB's pod readiness gates", () => {
    expect(find("eks", "Namespace", "mcp").metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe("enabled");
    expect(find("manual-pv", "Namespace", "mcp").metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBeUndefined();
  });
  it.each(ENVS)("%s: a terminating gateway pod keeps serving (preStop sleep) within its grace period", (env) => {
    const spec = podSpecOf(find(env, "Deployment", "mcp-gateway"));
    const sleep = spec.containers[0].lifecycle.preStop.exec.command.join(" ");
    const seconds = Number(/sleep (\d+)/.exec(sleep)![1]);
    expect(seconds).toBeGreaterThanOrEqual(5);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(seconds + 30);
  });
  it("eks: the ALB is admitted from its subnets, not from the whole VPC", () => {
    const from = find("eks", "NetworkPolicy", "mcp-gateway").spec.ingress[0].from.map((p: Any) => p.ipBlock.cidr);
    expect(from.length).toBeGreaterThan(0);
    for (const cidr of from) expect(Number(cidr.split("/")[1])).toBeGreaterThanOrEqual(20);
  });
  it("README: manual-pv's list of what to create first has the TLS Secret", async () => {
    const fs = await import("node:fs");
    const readme = fs.readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("- **existingSecrets** (manual-pv)"), readme.indexOf("Passwords used inside"));
    expect(section).toContain("create secret tls mcp-gateway-tls");
  });
});
