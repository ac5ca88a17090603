// Root kustomization: the Argo CD objects. `kubectl apply -k .` (they carry namespace argocd) bootstraps
// delivery: one AppProject per project named in settings, one Application per environment with
// settings.argocd.enabled. Everything Argo CD needs to know is derived from the environments' models:
//  - the AppProject admits exactly the kinds the stack renders (cluster-scoped and namespaced apart),
//    the repositories and the destinations (cluster + namespace) of its environments;
//  - each Application syncs overlays/<env> to its own cluster and namespace, with automated sync, prune and
//    self-heal as settings allow; data volumes and the Namespace carry Prune=false,Delete=false (shapes.ts);
//  - ignoreDifferences covers /spec/replicas of every Deployment an HPA scales (the HPA owns it),
//    with RespectIgnoreDifferences so a sync never resets it either.
// Sync order inside an Application is the stack's (scripts/stack/sync-waves.ts).
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet";
import type { Settings } from "../settings/schema.ts";
import { InputError } from "../lib/cli.ts";
import { buildStack } from "../stack/index.ts";
import { PART_OF } from "../stack/meta.ts";
import { applicationName, ARGOCD_NAMESPACE, CLUSTER_LABEL, clusterPath, ENV_LABEL, STAGE_LABEL } from "../settings/derived.ts";
import { groupOf, parseManifests } from "../lib/manifest.ts";
import { fileNameFor, header, plain, yamlFile } from "./emit.ts";
import { yamlBody, type FilePlan } from "./plan.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

const SOURCE = "scripts/generate/argocd.ts";
export const ARGOCD_DIR = "argocd";
export const IN_CLUSTER = "https://kubernetes.default.svc";

/** Every (cluster, namespace) an environment deploys to: its fleet's clusters, or its one destination. */
export function destinationsOf(s: Settings): { server?: string; name?: string; namespace: string }[] {
  if (!s.clusters.length) return [destinationOf(s)];
  return s.clusters.map((c) => (c.destination.name ? { name: c.destination.name, namespace: s.namespace } : { server: c.destination.server!, namespace: s.namespace }));
}

export const SYNC_OPTIONS = [
  "CreateNamespace=true",
  // Deletions last, after every wave is healthy (and data volumes never: see shapes.ts).
  "PruneLast=true",
  // The HPA's replica count is ignored when diffing and also when applying.
  "RespectIgnoreDifferences=true",
] as const;

interface GroupKind {
  group: string;
  kind: string;
}

const byGroupKind = (a: GroupKind, b: GroupKind) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind);

function uniqueGroupKinds(items: GroupKind[]): GroupKind[] {
  const seen = new Map(items.map((i) => [`${i.group}/${i.kind}`, i]));
  return [...seen.values()].sort(byGroupKind);
}

export function destinationOf(s: Settings): { server?: string; name?: string; namespace: string } {
  const d = s.argocd.destination;
  return d.name ? { name: d.name, namespace: s.namespace } : { server: d.server ?? IN_CLUSTER, namespace: s.namespace };
}

interface RenderedKinds {
  namespaced: GroupKind[];
  cluster: GroupKind[];
  /** Deployments an HPA scales: Argo CD must leave their replica count alone. */
  hpaTargets: string[];
}

/** What an environment renders: its model plus hand-written extra resources from its overlay folder. */
function renderedKinds(env: string, s: Settings, root: string | undefined): RenderedKinds {
  const objects = buildStack({ settings: s }).map((so) => plain(so.object) as Record<string, unknown> & {
    apiVersion: string;
    kind: string;
    metadata?: { namespace?: string };
    spec?: { scaleTargetRef?: { kind?: string; name?: string } };
  });
  const out: RenderedKinds = { namespaced: [], cluster: [], hpaTargets: [] };
  for (const o of objects) {
    (o.metadata?.namespace ? out.namespaced : out.cluster).push({ group: groupOf(o.apiVersion), kind: o.kind });
    const target = o.kind === "HorizontalPodAutoscaler" ? o.spec?.scaleTargetRef : undefined;
    if (target?.kind === "Deployment" && target.name) out.hpaTargets.push(target.name);
  }
  for (const file of root ? s.extraResources : []) {
    const abs = path.join(root!, "overlays", env, file);
    if (!fs.existsSync(abs)) continue; // the overlay projection reports it, with the key path
    for (const o of parseManifests(fs.readFileSync(abs, "utf8"), path.join("overlays", env, file))) {
      if (!o.apiVersion) continue;
      // Hand-written extras may be of any kind; without a scope we admit them as namespaced.
      const gk = { group: groupOf(o.apiVersion), kind: o.kind };
      (["Namespace", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding"].includes(o.kind) ? out.cluster : out.namespaced).push(gk);
    }
  }
  return out;
}

/** The Argo CD objects for the environments that enable delivery, validated against their models. */
export function argoCdObjects(envs: Map<string, Settings>, root?: string): (AppProject | ApplicationSet | Application)[] {
  const enabled = [...envs].filter(([, s]) => s.argocd.enabled).sort(([a], [b]) => a.localeCompare(b));
  for (const [env, s] of enabled) {
    if (s.credentials.source === "local") {
      // Settings loading refuses this too; kept here for callers that build settings in code.
      throw new InputError("local credentials cannot be synced from git", {
        file: `overlays/${env}/settings.yaml`,
        path: "argocd.enabled",
        expected: "false, or credentials.source existingSecrets/externalSecrets",
      });
    }
  }
  const seen = new Map<string, string>();
  for (const [env, s] of enabled) {
    for (const d of destinationsOf(s)) {
      const key = `${d.name ? `cluster ${d.name}` : d.server} namespace ${d.namespace}`;
      const other = seen.get(key);
      if (other && other !== env) {
        throw new InputError(`${other} and ${env} would both deploy to ${key}`, {
          file: `overlays/${env}/settings.yaml`,
          path: s.clusters.length ? "clusters" : "argocd.destination",
          expected: "a cluster (server or name) or namespace no other Argo CD environment uses",
        });
      }
      seen.set(key, env);
    }
  }
  const kinds = new Map(enabled.map(([env, s]) => [env, renderedKinds(env, s, root)]));
  const labels = (env?: string) => ({
    "app.kubernetes.io/name": PART_OF,
    "app.kubernetes.io/part-of": PART_OF,
    "app.kubernetes.io/component": "delivery",
    "app.kubernetes.io/managed-by": "kustomize",
    ...(env ? { [ENV_LABEL]: env } : {}),
  });

  const projects = [...new Set(enabled.map(([, s]) => s.argocd.project))].sort();
  const appProjects = projects.map((project) => {
    const members = enabled.filter(([, s]) => s.argocd.project === project);
    const destinations = [
      ...new Map(members.flatMap(([, s]) => destinationsOf(s)).map((d) => [JSON.stringify(d), d])).values(),
    ];
    return new AppProject({
      metadata: { name: project, namespace: ARGOCD_NAMESPACE, labels: labels() },
      spec: {
        description: `mcp-stack (MCP Gateway) environments: ${members.map(([env]) => env).join(", ")}`,
        sourceRepos: [...new Set(members.map(([, s]) => s.argocd.repoURL))].sort(),
        destinations,
        clusterResourceWhitelist: uniqueGroupKinds(members.flatMap(([env]) => kinds.get(env)!.cluster)),
        namespaceResourceWhitelist: uniqueGroupKinds(members.flatMap(([env]) => kinds.get(env)!.namespaced)),
      },
    });
  });

  const applicationSpec = (env: string, s: Settings) => {
    const a = s.argocd;
    const hpaTargets = [...new Set(kinds.get(env)!.hpaTargets)].sort();
    return {
      project: a.project,
      syncPolicy: {
        ...(a.automated.enabled && !s.clusters.length ? { automated: { prune: a.automated.prune, selfHeal: a.automated.selfHeal } } : {}),
        syncOptions: [...SYNC_OPTIONS],
        retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "3m" } },
      },
      ...(hpaTargets.length
        ? {
            ignoreDifferences: hpaTargets.map((name) => ({
              group: "apps",
              kind: "Deployment",
              name,
              namespace: s.namespace,
              jsonPointers: ["/spec/replicas"],
            })),
          }
        : {}),
      revisionHistoryLimit: 10,
    };
  };

  // One ApplicationSet per fleet: a list generator of exactly the generated cluster overlays (written from the
  // same settings, so the list and the folders cannot drift, and each element carries its destination; a
  // git-directory generator would pick up any folder and could not), rolled out stage by stage (RollingSync).
  const applicationSets = enabled
    .filter(([, s]) => s.clusters.length)
    .map(([env, s]) => {
      const a = s.argocd;
      const byName = s.clusters.every((c) => c.destination.name);
      const spec = applicationSpec(env, s);
      return new ApplicationSet({
        metadata: { name: applicationName(env), namespace: ARGOCD_NAMESPACE, labels: labels(env) },
        spec: {
          goTemplate: true,
          goTemplateOptions: ["missingkey=error"],
          generators: [
            {
              list: {
                elements: s.clusters.map((c) => ({
                  cluster: c.name,
                  stage: c.stage,
                  path: clusterPath(env, c.name),
                  ...(byName ? { destinationName: c.destination.name } : { destinationServer: c.destination.server }),
                })),
              },
            },
          ],
          strategy: {
            type: "RollingSync",
            rollingSync: {
              steps: a.rollout.map((r) => ({
                matchExpressions: [{ key: STAGE_LABEL, operator: "In", values: [r.stage] }],
                maxUpdate: r.maxUpdate,
              })),
            },
          },
          // Deleting the ApplicationSet (a mistaken prune of the root) must not delete a fleet's gateways.
          syncPolicy: { preserveResourcesOnDeletion: true },
          template: {
            metadata: {
              name: `${applicationName(env)}-{{.cluster}}`,
              labels: { ...labels(env), [CLUSTER_LABEL]: "{{.cluster}}", [STAGE_LABEL]: "{{.stage}}" },
              finalizers: ["resources-finalizer.argocd.argoproj.io"],
            },
            spec: {
              ...spec,
              source: { repoURL: a.repoURL, targetRevision: a.targetRevision, path: "{{.path}}" },
              destination: byName ? { name: "{{.destinationName}}", namespace: s.namespace } : { server: "{{.destinationServer}}", namespace: s.namespace },
            },
          },
        },
      });
    });

  const applications = enabled.filter(([, s]) => !s.clusters.length).map(([env, s]) => {
    const a = s.argocd;
    const { project, syncPolicy, revisionHistoryLimit, ...rest } = applicationSpec(env, s);
    return new Application({
      metadata: {
        name: applicationName(env),
        namespace: ARGOCD_NAMESPACE,
        labels: labels(env),
        // Deleting the Application deletes what it deployed (except data volumes and the Namespace).
        finalizers: ["resources-finalizer.argocd.argoproj.io"],
      },
      spec: {
        project,
        source: { repoURL: a.repoURL, targetRevision: a.targetRevision, path: `overlays/${env}` },
        destination: destinationOf(s),
        syncPolicy,
        ...rest,
        revisionHistoryLimit,
      },
    });
  });

  const objects = [...appProjects, ...applicationSets, ...applications];
  for (const o of objects) {
    try {
      o.validate();
    } catch (err) {
      throw new InputError(`${o.kind}/${o.metadata?.name} is not a valid object: ${(err as Error).message}`, { file: SOURCE });
    }
  }
  return objects;
}

/** argocd/<kind>-<name>.yaml and the root kustomization.yaml listing them (namespace argocd). */
export function planArgoCd(envs: Map<string, Settings>, plan: FilePlan, root?: string): void {
  const resources: string[] = [];
  for (const o of argoCdObjects(envs, root)) {
    const file = path.posix.join(ARGOCD_DIR, fileNameFor(o));
    resources.push(file);
    plan.set(file, yamlFile(SOURCE, plain(o)));
  }
  plan.set(
    "kustomization.yaml",
    header(SOURCE) +
      "# Bootstrap: kubectl apply -k .   (Argo CD objects, into the argocd namespace)\n" +
      yamlBody({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", namespace: ARGOCD_NAMESPACE, resources }),
  );
}
