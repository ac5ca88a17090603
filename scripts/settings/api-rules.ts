// What kube-apiserver would refuse, checked on the settings that reach object fields: each setting is mapped
// to the rule (scripts/validate/semantic) of the field it ends up in, so a bad value stops at load time with
// the key path instead of failing `kubectl apply` or a pull in the cluster.
import {
  annotationKey,
  cidr,
  configMapKey,
  cronSchedule,
  dns1123Label,
  dns1123Subdomain,
  envVarName,
  imageReference,
  ingressHost,
  labelValue,
  nonNegativeQuantity,
  qualifiedName,
  quantityValue,
  timeZone,
  type Verdict,
} from "../validate/semantic/index.ts";
import type { Settings } from "./schema.ts";

export interface RuleProblem {
  path: string;
  message: string;
  expected?: string;
}

type Image = { repository: string; tag: string; digest?: string };
type Resources = { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };

/** A value as messages show it: JSON, cut to 80 characters (a huge value is not echoed whole). */
export function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
}

/** metadata.annotations of one object may hold at most 256 KiB (keys and values; ValidateAnnotationsSize). */
const ANNOTATIONS_BYTES = 256 * 1024;

class Problems {
  readonly list: RuleProblem[] = [];
  rule(path: string, value: string, verdict: Verdict, rule: string): void {
    if (verdict) this.list.push({ path, message: `${brief(value)} would be refused by the API server: ${verdict}`, expected: rule });
  }
  labels(path: string, labels: Record<string, string>): void {
    for (const [k, v] of Object.entries(labels)) {
      this.rule(`${path}.${k}`, k, qualifiedName(k), "a label key: [DNS-1123 subdomain/]name, name at most 63 characters");
      this.rule(`${path}.${k}`, v, labelValue(v), "a label value: at most 63 alphanumeric characters, '-', '_' or '.'");
    }
  }
  annotations(path: string, annotations: Record<string, string>, alsoOnEveryObject: Record<string, string> = {}): void {
    for (const k of Object.keys(annotations)) {
      this.rule(`${path}.${k}`, k, annotationKey(k), "an annotation key: [DNS-1123 subdomain/]name, name at most 63 characters");
    }
    const bytes = Object.entries({ ...alsoOnEveryObject, ...annotations }).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (bytes > ANNOTATIONS_BYTES) {
      this.list.push({ path, message: `annotations of ${bytes} bytes would be refused by the API server: must have at most ${ANNOTATIONS_BYTES} bytes`, expected: "annotations under 256 KiB in all (large data belongs in a ConfigMap)" });
    }
  }
  image(path: string, image: Image): void {
    const ref = `${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ""}`;
    this.rule(`${path}.repository`, ref, imageReference(ref), "an image reference [registry/]repository (lowercase) such as ghcr.io/ibm/mcp-context-forge");
  }
  cidrs(path: string, values: readonly string[]): void {
    values.forEach((v, i) => this.rule(`${path}.${i}`, v, cidr(v), "a CIDR such as 10.0.0.0/16 (IPv4 prefix at most 32, IPv6 at most 128)"));
  }
  quantity(path: string, value: string | undefined): void {
    if (value !== undefined) this.rule(path, value, nonNegativeQuantity(value), "a Kubernetes quantity such as 500m, 2, 768Mi or 5Gi");
  }
  /** A claim's storage request or a volume's capacity: must be greater than zero. */
  size(path: string, value: string | undefined): void {
    if (value === undefined) return;
    const before = this.list.length;
    this.quantity(path, value);
    if (this.list.length === before && (quantityValue(value) ?? 1) <= 0) {
      this.list.push({ path, message: `${brief(value)} would be refused by the API server: must be greater than zero`, expected: "a storage size such as 1Gi" });
    }
  }
  resources(path: string, r: Resources): void {
    for (const part of ["requests", "limits"] as const) for (const k of ["cpu", "memory"] as const) this.quantity(`${path}.${part}.${k}`, r[part][k]);
    for (const k of ["cpu", "memory"] as const) {
      const req = quantityValue(r.requests[k]);
      const lim = quantityValue(r.limits[k]);
      if (req !== undefined && lim !== undefined && req > lim) {
        this.list.push({ path: `${path}.requests.${k}`, message: `${r.requests[k]} is above the limit ${r.limits[k]}: the API server refuses a request above its limit`, expected: `requests.${k} <= limits.${k}` });
      }
    }
  }
  storageClass(path: string, value: string | undefined): void {
    if (value) this.rule(path, value, dns1123Subdomain(value), 'a StorageClass name (DNS-1123 subdomain: lowercase letters, digits, "-", "."), or "" for none');
  }
}

/** Namespaces the cluster itself uses: the stack must not render (and relabel, and default-deny) them. */
const SYSTEM_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

/** Every setting whose value the API server would refuse in the object it renders into. */
export function apiServerProblems(s: Settings): RuleProblem[] {
  const p = new Problems();
  // A namespace YAML would read as something else ("00123", "1e3", "no") is fine: every file quotes it, and no patch
  // names it (cluster overlays select their objects by target: generate/clusters.ts exactTarget).
  const store = s.credentials.externalSecrets.storeName;
  p.rule("credentials.externalSecrets.storeName", store, dns1123Subdomain(store), "a (Cluster)SecretStore name (DNS-1123 subdomain)");
  p.labels("labels", s.labels);
  p.annotations("annotations", s.annotations);
  if (SYSTEM_NAMESPACES.has(s.namespace)) {
    p.list.push({
      path: "namespace",
      message: `${brief(s.namespace)} is a namespace of the cluster's own: the stack renders its Namespace (Pod Security restricted) and default-deny NetworkPolicies, which would take it over`,
      expected: "a namespace of the stack's own, such as mcp",
    });
  }
  s.imagePullSecrets.forEach((n, i) => p.rule(`imagePullSecrets.${i}`, n, dns1123Subdomain(n), "a Secret name (DNS-1123 subdomain)"));
  p.labels("nodeSelector", s.nodeSelector);
  s.tolerations.forEach((t, i) => {
    // ValidateTolerations: value empty with operator Exists; tolerationSeconds only with effect NoExecute.
    if (t.operator === "Exists" && t.value) p.list.push({ path: `tolerations.${i}.value`, message: `${brief(t.value)} would be refused by the API server: value must be empty when operator is Exists`, expected: "no value, or operator: Equal" });
    if ((t as { tolerationSeconds?: number }).tolerationSeconds !== undefined && t.effect !== "NoExecute") {
      p.list.push({ path: `tolerations.${i}.tolerationSeconds`, message: "would be refused by the API server: effect must be 'NoExecute' when tolerationSeconds is set", expected: "effect: NoExecute, or no tolerationSeconds" });
    }
    if (t.key !== undefined && t.key !== "") p.rule(`tolerations.${i}.key`, t.key, qualifiedName(t.key), "a taint key: [DNS-1123 subdomain/]name");
    if (t.value !== undefined) p.rule(`tolerations.${i}.value`, t.value, labelValue(t.value), "a taint value: at most 63 alphanumeric characters, '-', '_' or '.'");
  });

  const images: [string, Image][] = [
    ["gateway.image", s.gateway.image],
    ["fastTime.image", s.fastTime.image],
    ["postgres.image", s.postgres.image],
    ["redis.image", s.redis.image],
    ["monitoring.postgresExporter", s.monitoring.postgresExporter],
    ["monitoring.redisExporter", s.monitoring.redisExporter],
    ["backup.s3.image", s.backup.s3.image],
  ];
  for (const [path, image] of images) p.image(path, image);

  for (const [path, r] of [
    ["gateway.resources", s.gateway.resources],
    ["fastTime.resources", s.fastTime.resources],
    ["postgres.resources", s.postgres.resources],
    ["redis.resources", s.redis.resources],
  ] as const) {
    p.resources(path, r);
  }

  for (const [k] of Object.entries(s.gateway.config)) {
    // The ConfigMap is read with envFrom: each key is a ConfigMap key and an environment variable name.
    p.rule(`gateway.config.${k}`, k, configMapKey(k) ?? envVarName(k), "an environment variable name (letters, digits, '_', '-', '.'; not starting with a digit)");
  }
  p.annotations("gateway.serviceAnnotations", s.gateway.serviceAnnotations, s.annotations);
  p.annotations("gateway.serviceAccountAnnotations", s.gateway.serviceAccountAnnotations, s.annotations);
  p.cidrs("gateway.egressCidrs", s.gateway.egressCidrs);

  for (const store of ["postgres", "redis"] as const) {
    const at = `${store}.persistence`;
    const persistence = s[store].persistence;
    p.storageClass(`${at}.storageClassName`, persistence.storageClassName);
    p.size(`${at}.size`, persistence.size);
    p.annotations(`${at}.annotations`, persistence.annotations, s.annotations);
    p.size(`${at}.manualVolume.capacity`, persistence.manualVolume?.capacity);
    if (persistence.manualVolume?.node) p.rule(`${at}.manualVolume.node`, persistence.manualVolume.node, dns1123Subdomain(persistence.manualVolume.node), "a node name (DNS-1123 subdomain)");
  }

  p.rule("ingress.host", s.ingress.host, ingressHost(s.ingress.host), "a DNS host name such as mcp.example.com (or *.example.com)");
  s.ingress.additionalHosts.forEach((h, i) => p.rule(`ingress.additionalHosts.${i}`, h, ingressHost(h), "a DNS host name such as mcp.example.com (or *.example.com)"));
  s.ingress.gatewayApi.listeners.forEach((l, i) => {
    if (l.hostname) p.rule(`ingress.gatewayApi.listeners.${i}.hostname`, l.hostname, ingressHost(l.hostname), "a DNS host name such as mcp.example.com (or *.example.com)");
  });
  p.rule("ingress.className", s.ingress.className, dns1123Subdomain(s.ingress.className), "an IngressClass name (DNS-1123 subdomain)");
  p.cidrs("ingress.sourceCidrs", s.ingress.sourceCidrs);
  p.annotations("ingress.annotations", s.ingress.annotations, s.annotations);

  p.labels("monitoring.prometheusPodLabels", s.monitoring.prometheusPodLabels);
  p.labels("monitoring.labels", s.monitoring.labels);
  p.labels("monitoring.grafanaDashboardLabels", s.monitoring.grafanaDashboardLabels);

  p.rule("backup.schedule", s.backup.schedule, cronSchedule(s.backup.schedule), 'a cron schedule of five fields (minute hour day-of-month month day-of-week) such as "15 2 * * *", or @daily, @hourly, @every 6h');
  p.rule("backup.timeZone", s.backup.timeZone, timeZone(s.backup.timeZone), "an IANA time zone such as Etc/UTC or Europe/Berlin");
  p.size("backup.volume.size", s.backup.volume.size);
  p.storageClass("backup.volume.storageClassName", s.backup.volume.storageClassName);
  p.cidrs("backup.s3.egressCidrs", s.backup.s3.egressCidrs);
  p.annotations("backup.serviceAccountAnnotations", s.backup.serviceAccountAnnotations, s.annotations);
  return p.list;
}

/** The environment's folder name: it becomes the Argo CD Application `mcp-stack-<env>` and a label value. */
export function environmentNameProblem(env: string): RuleProblem | undefined {
  const app = `mcp-stack-${env}`;
  const verdict = dns1123Label(env) ?? dns1123Subdomain(app) ?? labelValue(app);
  if (!verdict) return undefined;
  return {
    path: "(folder name)",
    message: `environment folder ${JSON.stringify(env)} gives the Argo CD Application ${JSON.stringify(app)}, which the API server would refuse: ${verdict}`,
    expected: `a folder name of lowercase letters, digits and '-' (at most ${63 - "mcp-stack-".length} characters), e.g. overlays/${env.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "staging"}/`,
  };
}
