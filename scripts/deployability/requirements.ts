// What each object needs before Argo CD calls it healthy, by Argo CD's built-in health rules for the kinds
// the stack renders (argoproj/argo-cd pkg/health/health_*.go and resource_customizations/*/health.lua):
//   Deployment/StatefulSet/DaemonSet  rolled out: its pods run and are ready          (health_deployment.go, health_statefulset.go)
//   Job (hooks)                        Complete                                         (health_job.go)
//   PersistentVolumeClaim              Bound; Pending is Progressing, whatever the binding mode (health_pvc.go)
//   Ingress                            status.loadBalancer.ingress not empty             (health_ingress.go)
//   HorizontalPodAutoscaler            Degraded on ScalingActive/FailedGetResourceMetric (health_hpa.go)
//   ExternalSecret                     condition Ready: True healthy, False Degraded     (external-secrets.io/ExternalSecret/health.lua)
//   CronJob                            Healthy until a run has failed                    (batch/CronJob/health.lua)
//   HTTPRoute                          parents Accepted and ResolvedRefs                 (gateway.networking.k8s.io/HTTPRoute/health.lua)
//   anything else (Service, ConfigMap, Secret, ServiceAccount, NetworkPolicy, PDB, ServiceMonitor, ...): healthy once created
// Pods run only when their ServiceAccount, Secrets, ConfigMaps and claims exist and, for the applications,
// when the start-up dependencies of data/app.yaml are up.
import type { Environment } from "./types.ts";
import { appOf, arr, containersOf, envOf, type Obj, podOf, rec, str } from "./model.ts";
import { LOAD_BALANCER_STATUS_ANNOTATION } from "../stack/routes.ts";

/** A thing an object needs: another rendered object (present, or healthy) or a fact about the cluster. */
export type Requirement =
  | { type: "object"; target: Obj; healthy: boolean; what: string; path: string }
  | { type: "fact"; ok: boolean; what: string; path: string };

/** Groups served by every cluster (no CRD needed). */
export const BUILTIN_GROUPS = new Set([
  "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io",
  "apiextensions.k8s.io", "admissionregistration.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "node.k8s.io",
  "discovery.k8s.io", "certificates.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io",
]);

export function crdPresent(env: Environment, o: Obj): boolean {
  if (BUILTIN_GROUPS.has(o.group)) return true;
  if (env.settings.cluster.crds.includes(o.group)) return true;
  return env.index.ofKind("CustomResourceDefinition").some((c) => str(rec(c.object.spec).group) === o.group);
}

const describe = (o: Obj) => `${o.kind} ${o.name}`;

/** An object that writes another one when it runs (a Job minting a Secret) says so: `mcp-stack.dev/creates: Kind/name`. */
export const CREATES_ANNOTATION = "mcp-stack.dev/creates";

/** ConfigMaps every namespace has: kube-controller-manager's root-ca-cert-publisher writes kube-root-ca.crt. */
const KUBERNETES_CONFIGMAPS = new Set(["kube-root-ca.crt"]);

/**
 * Who provides Secret `name`: a rendered Secret, an ExternalSecret (once Ready), an object that creates it
 * (CREATES_ANNOTATION, once healthy: a Job once Complete), or the cluster beforehand (cluster.existingSecrets).
 */
function secretRequirement(env: Environment, name: string, path: string, why: string): Requirement {
  const rendered = env.index.get("Secret", name);
  if (rendered) return { type: "object", target: rendered, healthy: false, what: `Secret ${name} (${why})`, path };
  const external = env.index.ofKind("ExternalSecret").find((e) => (str(rec(rec(e.object.spec).target).name) ?? e.name) === name);
  if (external) return { type: "object", target: external, healthy: true, what: `Secret ${name} (${why}), made by ExternalSecret ${external.name} once it is Ready`, path };
  const creator = env.index.objects.find((o) => (o.annotations[CREATES_ANNOTATION] ?? "").split(",").map((s) => s.trim()).includes(`Secret/${name}`));
  if (creator) return { type: "object", target: creator, healthy: true, what: `Secret ${name} (${why}), made by ${describe(creator)} once it has run`, path };
  const exists = env.settings.cluster.existingSecrets.includes(name);
  return { type: "fact", ok: exists, what: `Secret ${name} (${why}): not rendered, made by nothing rendered, not in cluster.existingSecrets`, path };
}

function configMapRequirement(env: Environment, name: string, path: string, why: string): Requirement {
  if (KUBERNETES_CONFIGMAPS.has(name)) return { type: "fact", ok: true, what: `ConfigMap ${name} (made by Kubernetes in every namespace)`, path };
  const cm = env.index.get("ConfigMap", name);
  return cm ? { type: "object", target: cm, healthy: false, what: `ConfigMap ${name} (${why})`, path } : { type: "fact", ok: false, what: `ConfigMap ${name} (${why}) is not rendered`, path };
}

function storageClassRequirement(env: Environment, className: string | undefined, path: string, claim: string): Requirement & { mode?: string } {
  const classes = env.settings.cluster.storageClasses;
  const rendered = env.index.ofKind("StorageClass");
  if (className === undefined) {
    const d = classes.find((c) => c.default) ?? rendered.find((c) => c.annotations["storageclass.kubernetes.io/is-default-class"] === "true");
    return { type: "fact", ok: d !== undefined, what: `claim ${claim} names no StorageClass and the cluster has no default one (cluster.storageClasses)`, path, mode: d && "volumeBindingMode" in d ? (d.volumeBindingMode as string) : "Immediate" };
  }
  const declared = classes.find((c) => c.name === className);
  if (declared) return { type: "fact", ok: true, what: `StorageClass ${className}`, path, mode: declared.volumeBindingMode };
  const obj = rendered.find((c) => c.name === className);
  if (obj) return { type: "object", target: obj, healthy: false, what: `StorageClass ${className}`, path, mode: str(obj.object.volumeBindingMode) ?? "Immediate" };
  return { type: "fact", ok: false, what: `StorageClass ${className} of claim ${claim} exists neither in the cluster (cluster.storageClasses) nor in the overlay`, path };
}

/** Pods that mount claim `name` (by volumes or, for StatefulSets, their own templates). */
function claimConsumers(env: Environment, name: string): Obj[] {
  return env.index.objects.filter((o) => {
    const pod = podOf(o);
    return pod !== undefined && arr(pod.spec.volumes).some((v) => str(rec(rec(v).persistentVolumeClaim).claimName) === name);
  });
}

export function podRequirements(env: Environment, o: Obj): Requirement[] {
  const pod = podOf(o);
  if (!pod) return [];
  const reqs: Requirement[] = [];
  const sa = str(pod.spec.serviceAccountName);
  if (sa && sa !== "default") {
    const t = env.index.get("ServiceAccount", sa);
    reqs.push(t ? { type: "object", target: t, healthy: false, what: `ServiceAccount ${sa}`, path: `${pod.path}/serviceAccountName` } : { type: "fact", ok: false, what: `ServiceAccount ${sa} is not rendered: no pod can be created`, path: `${pod.path}/serviceAccountName` });
  }
  arr(pod.spec.imagePullSecrets).forEach((s, i) => {
    const name = str(rec(s).name);
    if (name) reqs.push(secretRequirement(env, name, `${pod.path}/imagePullSecrets/${i}`, "image pull secret"));
  });
  for (const { c, path } of containersOf(pod)) {
    arr(c.env).forEach((e, i) => {
      const vf = rec(rec(e).valueFrom);
      const s = rec(vf.secretKeyRef);
      const m = rec(vf.configMapKeyRef);
      if (str(s.name) && s.optional !== true) reqs.push(secretRequirement(env, str(s.name)!, `${path}/env/${i}`, `env ${str(rec(e).name)}`));
      if (str(m.name) && m.optional !== true) reqs.push(configMapRequirement(env, str(m.name)!, `${path}/env/${i}`, `env ${str(rec(e).name)}`));
    });
    arr(c.envFrom).forEach((f, i) => {
      const s = rec(rec(f).secretRef);
      const m = rec(rec(f).configMapRef);
      if (str(s.name) && s.optional !== true) reqs.push(secretRequirement(env, str(s.name)!, `${path}/envFrom/${i}`, "envFrom"));
      if (str(m.name) && m.optional !== true) reqs.push(configMapRequirement(env, str(m.name)!, `${path}/envFrom/${i}`, "envFrom"));
    });
  }
  arr(pod.spec.volumes).forEach((v, i) => {
    const vol = rec(v);
    const at = `${pod.path}/volumes/${i}`;
    const s = rec(vol.secret);
    const m = rec(vol.configMap);
    const claim = str(rec(vol.persistentVolumeClaim).claimName);
    if (str(s.secretName) && s.optional !== true) reqs.push(secretRequirement(env, str(s.secretName)!, at, `volume ${str(vol.name)}`));
    if (str(m.name) && m.optional !== true) reqs.push(configMapRequirement(env, str(m.name)!, at, `volume ${str(vol.name)}`));
    for (const src of arr(rec(vol.projected).sources)) {
      const ps = rec(rec(src).secret);
      const pm = rec(rec(src).configMap);
      if (str(ps.name) && ps.optional !== true) reqs.push(secretRequirement(env, str(ps.name)!, at, `volume ${str(vol.name)}`));
      if (str(pm.name) && pm.optional !== true) reqs.push(configMapRequirement(env, str(pm.name)!, at, `volume ${str(vol.name)}`));
    }
    if (claim) {
      const t = env.index.get("PersistentVolumeClaim", claim);
      reqs.push(t ? { type: "object", target: t, healthy: true, what: `claim ${claim} bound`, path: at } : { type: "fact", ok: false, what: `claim ${claim} is not rendered`, path: at });
    }
  });
  if (o.kind === "StatefulSet") {
    arr(rec(o.object.spec).volumeClaimTemplates).forEach((t, i) => {
      const spec = rec(rec(t).spec);
      reqs.push(storageClassRequirement(env, str(spec.storageClassName), `/spec/volumeClaimTemplates/${i}/spec/storageClassName`, str(rec(rec(t).metadata).name) ?? ""));
    });
  }
  // Start-up dependencies of the application (data/app.yaml).
  const main = containersOf(pod, { init: false })[0];
  const env_ = main ? envOf(main.c, env.index.configMaps) : new Map<string, string>();
  for (const dep of env.app.dependencies[appOf(o)] ?? []) {
    if (dep.when && env_.get(dep.when.env) !== dep.when.equals) continue;
    const target = env.index.objects.find((t) => t.kind === dep.target.kind && appOf(t) === dep.target.app);
    if (target) reqs.push({ type: "object", target, healthy: true, what: `${dep.what} (${dep.target.kind} ${target.name})`, path: pod.path });
  }
  return reqs;
}

/** Everything object `o` needs to be healthy, per Argo CD's health rules (see the table above). */
export function healthRequirements(env: Environment, o: Obj): Requirement[] {
  const cluster = env.settings.cluster;
  const reqs: Requirement[] = [];
  if (!crdPresent(env, o)) reqs.push({ type: "fact", ok: false, what: `the ${o.group} CRD is not installed (cluster.crds): ${o.kind} cannot be created`, path: "/apiVersion" });
  switch (o.kind) {
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "Job":
      reqs.push(...podRequirements(env, o));
      break;
    case "PersistentVolumeClaim": {
      const spec = rec(o.object.spec);
      const volumeName = str(spec.volumeName);
      const className = str(spec.storageClassName);
      if (volumeName) {
        const pv = env.index.get("PersistentVolume", volumeName);
        reqs.push(pv ? { type: "object", target: pv, healthy: false, what: `PersistentVolume ${volumeName}`, path: "/spec/volumeName" } : { type: "fact", ok: false, what: `PersistentVolume ${volumeName} is not rendered`, path: "/spec/volumeName" });
      } else if (className === "") {
        const pv = env.index.ofKind("PersistentVolume").find((p) => str(rec(rec(p.object.spec).claimRef).name) === o.name);
        reqs.push(pv ? { type: "object", target: pv, healthy: false, what: `PersistentVolume ${pv.name}`, path: "/spec" } : { type: "fact", ok: false, what: "storageClassName \"\" and no PersistentVolume names this claim: it stays Pending", path: "/spec/storageClassName" });
      } else {
        const sc = storageClassRequirement(env, className, "/spec/storageClassName", o.name);
        reqs.push(sc);
        if (sc.mode === "WaitForFirstConsumer") {
          // Argo CD keeps a Pending claim Progressing (health_pvc.go has no exception for this binding mode):
          // it binds only once a pod that mounts it exists, so that pod must not come in a later wave.
          const consumer = claimConsumers(env, o.name).sort((a, b) => a.wave - b.wave)[0];
          reqs.push(consumer ? { type: "object", target: consumer, healthy: false, what: `a pod that mounts it (WaitForFirstConsumer): ${describe(consumer)}`, path: "/spec/storageClassName" } : { type: "fact", ok: false, what: "no pod mounts it and its StorageClass waits for the first consumer", path: "/spec" });
        }
      }
      break;
    }
    case "Ingress": {
      // The README's health customization (scripts/stack/argocd-health.ts, checked by preflight) calls an
      // Ingress that says its controller publishes no status Healthy once it exists.
      const customized = o.annotations[LOAD_BALANCER_STATUS_ANNOTATION] === "not-published";
      reqs.push({ type: "fact", ok: env.settings.ingress.controllerPublishesStatus || customized, what: `the ingress controller never writes status.loadBalancer (ingress.controllerPublishesStatus: false), Argo CD's Ingress health waits for it, and the Ingress lacks ${LOAD_BALANCER_STATUS_ANNOTATION}: not-published for the health customization`, path: "/status" });
      break;
    }
    case "HTTPRoute":
    case "GRPCRoute":
      for (const [i, p] of arr(rec(o.object.spec).parentRefs).entries()) {
        const name = str(rec(p).name) ?? "";
        const gw = env.index.get("Gateway", name);
        if (gw) reqs.push({ type: "object", target: gw, healthy: true, what: `Gateway ${name} accepting the route`, path: `/spec/parentRefs/${i}` });
      }
      break;
    case "HorizontalPodAutoscaler": {
      const ref = rec(rec(o.object.spec).scaleTargetRef);
      const t = env.index.get(str(ref.kind) ?? "", str(ref.name) ?? "");
      reqs.push(t ? { type: "object", target: t, healthy: false, what: `${describe(t)} (scale target)`, path: "/spec/scaleTargetRef" } : { type: "fact", ok: false, what: `scale target ${str(ref.kind)} ${str(ref.name)} is not rendered (FailedGetScale: Degraded)`, path: "/spec/scaleTargetRef" });
      reqs.push({ type: "fact", ok: cluster.metricsServer, what: "metrics.k8s.io is not served (cluster.metricsServer: false): FailedGetResourceMetric is Degraded", path: "/spec/metrics" });
      break;
    }
    case "ExternalSecret": {
      const spec = rec(o.object.spec);
      const keys = new Set<string>();
      for (const d of arr(spec.data)) if (str(rec(rec(d).remoteRef).key)) keys.add(str(rec(rec(d).remoteRef).key)!);
      for (const d of arr(spec.dataFrom)) if (str(rec(rec(d).extract).key)) keys.add(str(rec(rec(d).extract).key)!);
      for (const key of keys) {
        reqs.push({ type: "fact", ok: cluster.remoteSecrets.includes(key), what: `remote key ${key} is not in the store before the first sync (cluster.remoteSecrets): Ready=False, Argo CD health Degraded`, path: "/spec/data" });
      }
      break;
    }
    default:
      break;
  }
  return reqs;
}

/** References that are not health conditions but still must exist when the object is used. */
export function usageRequirements(env: Environment, o: Obj): Requirement[] {
  if (o.kind === "CronJob") return podRequirements(env, o);
  if (o.kind === "Ingress") {
    const reqs: Requirement[] = [];
    const spec = rec(o.object.spec);
    arr(spec.rules).forEach((r, i) =>
      arr(rec(rec(r).http).paths).forEach((p, j) => {
        const name = str(rec(rec(rec(p).backend).service).name);
        const svc = name ? env.index.get("Service", name) : undefined;
        if (svc) reqs.push({ type: "object", target: svc, healthy: false, what: `Service ${name} (backend)`, path: `/spec/rules/${i}/http/paths/${j}/backend` });
      }),
    );
    return reqs;
  }
  if (o.kind === "ServiceMonitor") {
    const reqs: Requirement[] = [];
    arr(rec(o.object.spec).endpoints).forEach((e, i) => {
      const cred = rec(rec(rec(e).authorization).credentials);
      const name = str(cred.name) ?? str(rec(rec(e).bearerTokenSecret).name);
      if (name) reqs.push(secretRequirement(env, name, `/spec/endpoints/${i}`, "scrape credentials"));
    });
    return reqs;
  }
  return [];
}
