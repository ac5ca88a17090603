// Semantic validation of rendered objects: the checks kube-apiserver makes beyond the OpenAPI schema (names,
// labels, annotations, images, ports, CIDRs, quantities, schedules, time zones), applied to the fields of the
// kinds this stack renders and to any object's metadata. Pure functions over plain objects; no project imports.
import {
  annotationKey,
  annotationsSize,
  cidr,
  configMapKey,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  envVarName,
  ingressHost,
  labelValue,
  nonNegativeQuantity,
  portName,
  portNumber,
  portNumberOrName,
  qualifiedName,
  quantityValue,
  type Verdict,
} from "./names.ts";
import { imageReference } from "./image.ts";
import { cronSchedule, timeZone } from "./schedule.ts";

export interface SemanticProblem {
  /** JSON pointer into the object, e.g. `/spec/template/spec/containers/0/image`. */
  path: string;
  /** The rule's name, e.g. `dns1123-subdomain`. */
  rule: string;
  message: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): v is string => typeof v === "string";
const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** Kinds whose metadata.name must be a DNS-1123 label (validation.ValidateNamespaceName, Service: DNS-1035). */
const LABEL_NAMED = new Set(["Namespace"]);

class Collector {
  readonly problems: SemanticProblem[] = [];
  check(path: string, rule: string, verdict: Verdict, value?: unknown): void {
    if (verdict) this.problems.push({ path, rule, message: `${value === undefined ? "" : `${JSON.stringify(value)}: `}${verdict}` });
  }
}

function checkMetadata(c: Collector, kind: string, meta: Json | undefined, at = "/metadata", topLevel = true): void {
  if (!meta) return;
  const name = meta.name;
  if (topLevel && str(name)) {
    if (kind === "Service") c.check(`${at}/name`, "dns1035-label", dns1035Label(name), name);
    else if (LABEL_NAMED.has(kind)) c.check(`${at}/name`, "dns1123-label", dns1123Label(name), name);
    else c.check(`${at}/name`, "dns1123-subdomain", dns1123Subdomain(name), name);
  }
  if (str(meta.namespace)) c.check(`${at}/namespace`, "dns1123-label", dns1123Label(meta.namespace), meta.namespace);
  for (const [k, v] of Object.entries(obj(meta.labels) ?? {})) {
    c.check(`${at}/labels/${esc(k)}`, "label-key", qualifiedName(k), k);
    c.check(`${at}/labels/${esc(k)}`, "label-value", str(v) ? labelValue(v) : "must be a string", v);
  }
  const annotations = obj(meta.annotations) ?? {};
  for (const k of Object.keys(annotations)) c.check(`${at}/annotations/${esc(k)}`, "annotation-key", annotationKey(k), k);
  c.check(`${at}/annotations`, "annotations-size", annotationsSize(annotations as Record<string, string>));
}

function checkSelector(c: Collector, selector: Json | undefined, at: string): void {
  for (const [k, v] of Object.entries(obj(selector?.matchLabels) ?? {})) {
    c.check(`${at}/matchLabels/${esc(k)}`, "label-key", qualifiedName(k), k);
    c.check(`${at}/matchLabels/${esc(k)}`, "label-value", str(v) ? labelValue(v) : "must be a string", v);
  }
}

function checkResources(c: Collector, resources: Json | undefined, at: string): void {
  const requests = obj(resources?.requests) ?? {};
  const limits = obj(resources?.limits) ?? {};
  for (const [part, values] of [["requests", requests], ["limits", limits]] as const) {
    for (const [k, v] of Object.entries(values)) c.check(`${at}/${part}/${esc(k)}`, "quantity", nonNegativeQuantity(String(v)), v);
  }
  // ValidateResourceRequirements: a request must not exceed its limit.
  for (const [k, v] of Object.entries(requests)) {
    const limit = limits[k];
    if (limit === undefined) continue;
    const r = quantityValue(String(v));
    const l = quantityValue(String(limit));
    if (r !== undefined && l !== undefined && r > l) {
      c.check(`${at}/requests/${esc(k)}`, "request-within-limit", `must be less than or equal to ${k} limit of ${limit}`, v);
    }
  }
}

function checkContainer(c: Collector, container: Json, at: string): void {
  if (str(container.name)) c.check(`${at}/name`, "dns1123-label", dns1123Label(container.name), container.name);
  if (str(container.image)) c.check(`${at}/image`, "image-reference", imageReference(container.image), container.image);
  arr(container.ports).forEach((p, i) => {
    const port = obj(p) ?? {};
    if (port.containerPort !== undefined) c.check(`${at}/ports/${i}/containerPort`, "port-number", portNumber(Number(port.containerPort)), port.containerPort);
    if (str(port.name)) c.check(`${at}/ports/${i}/name`, "port-name", portName(port.name), port.name);
  });
  arr(container.env).forEach((e, i) => {
    const name = obj(e)?.name;
    if (str(name)) c.check(`${at}/env/${i}/name`, "env-var-name", envVarName(name), name);
  });
  checkResources(c, obj(container.resources), `${at}/resources`);
}

function checkPodSpec(c: Collector, spec: Json | undefined, at: string): void {
  if (!spec) return;
  for (const key of ["initContainers", "containers"]) {
    arr(spec[key]).forEach((x, i) => checkContainer(c, obj(x) ?? {}, `${at}/${key}/${i}`));
  }
  arr(spec.volumes).forEach((v, i) => {
    const name = obj(v)?.name;
    if (str(name)) c.check(`${at}/volumes/${i}/name`, "dns1123-label", dns1123Label(name), name);
  });
  if (str(spec.serviceAccountName)) c.check(`${at}/serviceAccountName`, "dns1123-subdomain", dns1123Subdomain(spec.serviceAccountName), spec.serviceAccountName);
  for (const [k, v] of Object.entries(obj(spec.nodeSelector) ?? {})) {
    c.check(`${at}/nodeSelector/${esc(k)}`, "label-key", qualifiedName(k), k);
    c.check(`${at}/nodeSelector/${esc(k)}`, "label-value", str(v) ? labelValue(v) : "must be a string", v);
  }
}

function checkTemplate(c: Collector, template: Json | undefined, at: string): void {
  if (!template) return;
  checkMetadata(c, "", obj(template.metadata), `${at}/metadata`, false);
  checkPodSpec(c, obj(template.spec), `${at}/spec`);
}

function checkStorageClassName(c: Collector, value: unknown, at: string): void {
  // ValidateClassName: a non-empty class name is a DNS-1123 subdomain ("" means no class).
  if (str(value) && value !== "") c.check(at, "storage-class-name", dns1123Subdomain(value), value);
}

/** Every semantic problem of one object (empty when the API server would accept what these rules cover). */
export function semanticProblems(object: unknown): SemanticProblem[] {
  const o = obj(object);
  if (!o) return [];
  const c = new Collector();
  const kind = str(o.kind) ? o.kind : "";
  const spec = obj(o.spec);
  checkMetadata(c, kind, obj(o.metadata));
  switch (kind) {
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
      checkSelector(c, obj(spec?.selector), "/spec/selector");
      checkTemplate(c, obj(spec?.template), "/spec/template");
      arr(spec?.volumeClaimTemplates).forEach((t, i) => {
        const s = obj(obj(t)?.spec);
        checkStorageClassName(c, s?.storageClassName, `/spec/volumeClaimTemplates/${i}/spec/storageClassName`);
      });
      break;
    case "Pod":
      checkPodSpec(c, spec, "/spec");
      break;
    case "CronJob": {
      if (str(spec?.schedule)) c.check("/spec/schedule", "cron-schedule", cronSchedule(spec.schedule), spec.schedule);
      if (str(spec?.timeZone)) c.check("/spec/timeZone", "time-zone", timeZone(spec.timeZone), spec.timeZone);
      const job = obj(spec?.jobTemplate);
      checkMetadata(c, "", obj(job?.metadata), "/spec/jobTemplate/metadata", false);
      checkTemplate(c, obj(obj(job?.spec)?.template), "/spec/jobTemplate/spec/template");
      break;
    }
    case "Service":
      arr(spec?.ports).forEach((p, i) => {
        const port = obj(p) ?? {};
        if (port.port !== undefined) c.check(`/spec/ports/${i}/port`, "port-number", portNumber(Number(port.port)), port.port);
        if (port.targetPort !== undefined) c.check(`/spec/ports/${i}/targetPort`, "port-number", portNumberOrName(port.targetPort as number | string), port.targetPort);
        if (str(port.name)) c.check(`/spec/ports/${i}/name`, "dns1123-label", dns1123Label(port.name), port.name);
      });
      break;
    case "NetworkPolicy":
      for (const direction of ["ingress", "egress"] as const) {
        arr(spec?.[direction]).forEach((rule, i) => {
          const r = obj(rule) ?? {};
          arr(r[direction === "ingress" ? "from" : "to"]).forEach((peer, j) => {
            const at = `/spec/${direction}/${i}/${direction === "ingress" ? "from" : "to"}/${j}`;
            const block = obj(obj(peer)?.ipBlock);
            if (str(block?.cidr)) c.check(`${at}/ipBlock/cidr`, "cidr", cidr(block.cidr), block.cidr);
            arr(block?.except).forEach((e, k) => str(e) && c.check(`${at}/ipBlock/except/${k}`, "cidr", cidr(e), e));
            checkSelector(c, obj(obj(peer)?.podSelector), `${at}/podSelector`);
            checkSelector(c, obj(obj(peer)?.namespaceSelector), `${at}/namespaceSelector`);
          });
          arr(r.ports).forEach((p, k) => {
            const port = obj(p) ?? {};
            const at = `/spec/${direction}/${i}/ports/${k}`;
            if (port.port !== undefined) c.check(`${at}/port`, "port-number", portNumberOrName(port.port as number | string), port.port);
            if (port.endPort !== undefined) {
              c.check(`${at}/endPort`, "port-range", typeof port.port === "number" && Number(port.endPort) >= port.port ? portNumber(Number(port.endPort)) : "must be a port number greater than or equal to port", port.endPort);
            }
          });
        });
      }
      break;
    case "PersistentVolumeClaim":
      checkStorageClassName(c, spec?.storageClassName, "/spec/storageClassName");
      checkResources(c, obj(spec?.resources), "/spec/resources");
      break;
    case "PersistentVolume":
      checkStorageClassName(c, spec?.storageClassName, "/spec/storageClassName");
      for (const [k, v] of Object.entries(obj(spec?.capacity) ?? {})) c.check(`/spec/capacity/${esc(k)}`, "quantity", nonNegativeQuantity(String(v)), v);
      break;
    case "Ingress":
      arr(spec?.rules).forEach((r, i) => {
        const host = obj(r)?.host;
        if (str(host)) c.check(`/spec/rules/${i}/host`, "ingress-host", ingressHost(host), host);
      });
      arr(spec?.tls).forEach((t, i) => arr(obj(t)?.hosts).forEach((h, j) => str(h) && c.check(`/spec/tls/${i}/hosts/${j}`, "ingress-host", ingressHost(h), h)));
      break;
    case "ConfigMap":
    case "Secret":
      for (const field of ["data", "stringData", "binaryData"]) {
        for (const k of Object.keys(obj(o[field]) ?? {})) c.check(`/${field}/${esc(k)}`, "config-map-key", configMapKey(k), k);
      }
      break;
    case "Application": {
      // Argo CD writes the Application name into the app.kubernetes.io/instance label of what it syncs.
      const name = obj(o.metadata)?.name;
      if (str(name)) c.check("/metadata/name", "label-value", labelValue(name), name);
      break;
    }
  }
  return c.problems;
}
