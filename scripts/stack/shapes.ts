// Small shared shapes every component is assembled from: a hardened pod and container, probes,
// volumes, claims, Services and ServiceAccounts. Components never repeat these by hand.
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { PersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import type { IDeploymentStrategy } from "kubernetes-models/apps/v1/DeploymentStrategy";
import { Job } from "kubernetes-models/batch/v1/Job";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import type { Settings } from "../settings/schema.ts";
import { clusterMetadata, metadata, selectorLabels, templateMetadata, workloadLabels, type Workload } from "./meta.ts";
const { createHash } = process.getBuiltinModule("node:crypto");

type Resources = Settings["gateway"]["resources"];
type Persistence = Settings["postgres"]["persistence"];

/** Pod Security "restricted" at pod level, plus the settings every pod shares (pull secrets, placement). */
export function hardenedPodSpec(
  w: Workload,
  settings: Settings,
  uid: number,
  spec: Omit<IPodSpec, "securityContext" | "serviceAccountName" | "automountServiceAccountToken">,
): IPodSpec {
  return {
    serviceAccountName: w.name,
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      fsGroup: uid,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    },
    ...(settings.imagePullSecrets.length ? { imagePullSecrets: settings.imagePullSecrets.map((name) => ({ name })) } : {}),
    ...(Object.keys(settings.nodeSelector).length ? { nodeSelector: settings.nodeSelector } : {}),
    ...(settings.tolerations.length ? { tolerations: settings.tolerations } : {}),
    ...spec,
  };
}

/** A container that cannot escalate, runs read-only with no capabilities; writable paths are emptyDirs. */
export function hardenedContainer(
  c: Omit<IContainer, "securityContext" | "resources" | "imagePullPolicy"> & {
    resources: Resources;
    pullPolicy: string;
  },
): IContainer {
  const { resources, pullPolicy, ...rest } = c;
  return {
    ...rest,
    imagePullPolicy: pullPolicy as IContainer["imagePullPolicy"],
    resources: { requests: { ...resources.requests }, limits: { ...resources.limits } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      privileged: false,
      capabilities: { drop: ["ALL"] },
    },
  };
}

/** emptyDir volumes and their mounts for the paths a read-only container must write to. */
export function scratchDirs(dirs: Record<string, string>): { volumes: IVolume[]; mounts: IVolumeMount[] } {
  const entries = Object.entries(dirs);
  return {
    volumes: entries.map(([name]) => ({ name, emptyDir: {} })),
    mounts: entries.map(([name, mountPath]) => ({ name, mountPath })),
  };
}

export const httpGet = (path: string, port: string, timing: ProbeTiming): IProbe => ({
  httpGet: { path, port, scheme: "HTTP" },
  ...timing,
});

export const execProbe = (script: string, timing: ProbeTiming): IProbe => ({
  exec: { command: ["/bin/sh", "-c", script] },
  ...timing,
});

export interface ProbeTiming {
  initialDelaySeconds?: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export const literalEnv = (vars: Record<string, string>): IEnvVar[] =>
  Object.entries(vars).map(([name, value]) => ({ name, value }));

export const secretEnv = (name: string, secret: string, key: string = name): IEnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

export function serviceAccount(w: Workload, settings: Settings, annotations: Record<string, string> = {}) {
  return new ServiceAccount({
    metadata: metadata(w.name, workloadLabels(w, settings), settings, annotations),
    automountServiceAccountToken: false,
  });
}

/** ClusterIP Service on named ports; `headless` for a StatefulSet's governing Service. */
export function service(
  w: Workload,
  settings: Settings,
  ports: { name: string; port: number; targetPort: string }[],
  opts: { headless?: boolean; annotations?: Record<string, string> } = {},
) {
  return new Service({
    metadata: metadata(w.name, workloadLabels(w, settings), settings, opts.annotations),
    spec: {
      type: "ClusterIP",
      ...(opts.headless ? { clusterIP: "None", publishNotReadyAddresses: false } : {}),
      selector: selectorLabels(w),
      ports: ports.map((p) => ({ ...p, protocol: "TCP" as const })),
    },
  });
}

/**
 * Argo CD never deletes data: not when the object leaves git (prune), not when the Application is deleted.
 * On data volumes and on the Namespace that holds them.
 */
export const KEEP_ON_PRUNE_AND_DELETE = { "argocd.argoproj.io/sync-options": "Prune=false,Delete=false" } as const;

/**
 * A data volume's claim, and its PersistentVolume when settings provision it by hand
 * (storageClassName "" and volumeName bind the claim to exactly that volume).
 */
/** The claim a data volume mounts: the adopted one (persistence.existingClaim) or the stack's own. */
export function claimName(own: string, p: Persistence): string {
  return p.existingClaim ?? own;
}

/** Whether the stack renders the claim itself (persistent, and not adopting an existing claim). */
export function ownedClaim(p: Persistence): boolean {
  return p.enabled && p.existingClaim === undefined;
}

export function dataVolume(w: Workload, settings: Settings, name: string, p: Persistence) {
  const manual = p.manualVolume;
  const labels = { ...workloadLabels(w, settings), "app.kubernetes.io/component": `${w.component}-storage` };
  const claim = new PersistentVolumeClaim({
    metadata: metadata(name, labels, settings, { ...p.annotations, ...KEEP_ON_PRUNE_AND_DELETE }),
    spec: {
      accessModes: [...p.accessModes],
      ...(manual ? { storageClassName: "", volumeName: `${settings.namespace}-${name}` } : {}),
      ...(!manual && p.storageClassName !== undefined ? { storageClassName: p.storageClassName } : {}),
      resources: { requests: { storage: p.size } },
    },
  });
  if (!manual) return { claim };
  const volume = new PersistentVolume({
    // PersistentVolumes are cluster-scoped: the name carries the namespace to stay unique.
    metadata: clusterMetadata(`${settings.namespace}-${name}`, labels, settings, KEEP_ON_PRUNE_AND_DELETE),
    spec: {
      storageClassName: "",
      capacity: { storage: manual.capacity ?? p.size },
      accessModes: [...p.accessModes],
      persistentVolumeReclaimPolicy: "Retain",
      volumeMode: "Filesystem",
      claimRef: { kind: "PersistentVolumeClaim", namespace: settings.namespace, name },
      ...(manual.type === "hostPath" ? { hostPath: { path: manual.path, type: "DirectoryOrCreate" } } : {}),
      ...(manual.type === "nfs" ? { nfs: { server: manual.server ?? "", path: manual.path } } : {}),
      ...(manual.type === "local"
        ? {
            local: { path: manual.path },
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: "kubernetes.io/hostname", operator: "In", values: [manual.node ?? ""] },
                    ],
                  },
                ],
              },
            },
          }
        : {}),
    },
  });
  return { claim, volume };
}

/** Voluntary disruptions take at most `maxUnavailable` pods; unhealthy pods can always be evicted. */
export function podDisruptionBudget(w: Workload, settings: Settings, maxUnavailable: number) {
  return new PodDisruptionBudget({
    metadata: metadata(w.name, workloadLabels(w, settings), settings),
    spec: { maxUnavailable, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: selectorLabels(w) } },
  });
}

type PodSpecBody = Parameters<typeof hardenedPodSpec>[3];

/**
 * A Deployment of one workload: selector on the stable labels, the template carrying every label, the pod
 * hardened. `replicas` undefined leaves the count to an HPA.
 */
export function hardenedDeployment(
  w: Workload,
  settings: Settings,
  opts: {
    uid: number;
    pod: PodSpecBody;
    replicas?: number;
    strategy?: IDeploymentStrategy;
    revisionHistoryLimit?: number;
    annotations?: Record<string, string>;
    podAnnotations?: Record<string, string>;
  },
): Deployment {
  return new Deployment({
    metadata: metadata(w.name, workloadLabels(w, settings), settings, opts.annotations),
    spec: {
      ...(opts.replicas === undefined ? {} : { replicas: opts.replicas }),
      revisionHistoryLimit: opts.revisionHistoryLimit ?? 5,
      ...(opts.strategy ? { strategy: opts.strategy } : {}),
      selector: { matchLabels: selectorLabels(w) },
      template: {
        metadata: templateMetadata(w, settings, opts.podAnnotations),
        spec: hardenedPodSpec(w, settings, opts.uid, opts.pod),
      },
    },
  });
}

/** A run-to-completion Job: bounded retries and run time, cleaned up after it finishes, never restarted in place. */
export function hardenedJob(
  w: Workload,
  settings: Settings,
  opts: {
    name: string;
    uid: number;
    pod: Omit<PodSpecBody, "restartPolicy">;
    backoffLimit: number;
    activeDeadlineSeconds: number;
    ttlSecondsAfterFinished: number;
    annotations?: Record<string, string>;
  },
): Job {
  return new Job({
    metadata: metadata(opts.name, workloadLabels(w, settings), settings, opts.annotations),
    spec: {
      backoffLimit: opts.backoffLimit,
      activeDeadlineSeconds: opts.activeDeadlineSeconds,
      ttlSecondsAfterFinished: opts.ttlSecondsAfterFinished,
      template: {
        metadata: templateMetadata(w, settings),
        spec: hardenedPodSpec(w, settings, opts.uid, { restartPolicy: "Never", ...opts.pod }),
      },
    },
  });
}

/** DNS-safe form of an image tag: v1.0.8 -> v1-0-8. */
export const tagSlug = (tag: string) => tag.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/**
 * Names a Job after what it runs: <prefix>-<tag>-<hash>, the hash over its pod template and the data of the
 * generated (hash-suffixed) ConfigMaps it reads. A Job's template is immutable, so `kubectl apply` of a changed
 * template under the same name fails; a configuration change at the same version renames the Job instead (the
 * reference kustomize rewrites changes exactly when that data does). Secrets from local credentials are left out:
 * their values differ per machine and are never rewritten once generated.
 */
export function nameByContent(job: Job, prefix: string, tag: string, readsConfig: Record<string, string>[] = []): Job {
  const hash = createHash("sha256").update(JSON.stringify([job.spec?.template, readsConfig])).digest("hex").slice(0, 8);
  // 63 characters in all, with room for the hash and a fleet cluster's suffix (fleet.ts clusterJobSuffix).
  const head = `${prefix}-${tagSlug(tag)}`.slice(0, 63 - 18).replace(/-$/, "");
  job.metadata = { ...job.metadata, name: `${head}-${hash}` };
  return job;
}

/** Zone then node spreading (ScheduleAnyway) of the stateless, replicated workloads (gateway, fast-time) when settings.gateway.spreadAcrossZones is on. */
export function replicatedSpread(s: Settings, name: string): ITopologySpreadConstraint[] {
  if (!s.gateway.spreadAcrossZones) return [];
  return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway" as const,
    labelSelector: { matchLabels: selectorLabels({ name }) },
  }));
}
