// Teardown: the seed's "Uninstall" and "Debug / start fresh", done safely. The objects come from the
// rendered overlay; they are deleted in the reverse of the install order (Ingress first, the data stores
// late, configuration last). Claims are kept unless --delete-data is given and confirmed; PersistentVolumes
// are never deleted (manual-pv's Retain volumes hold the only copy of the data); the namespace goes only
// with --delete-namespace, which implies deleting the claims and therefore needs --delete-data too.
import { UsageError } from "../lib/cli.ts";
import { INSTANCE, PART_OF } from "../stack/meta.ts";
import type { Kubectl, KubeJson } from "./kubectl.ts";
import { firstLine } from "./kubectl.ts";
import { fail, pass, skip, type Outcome, type Result } from "./report.ts";
import { nameOf, resourceOf, type Target } from "./target.ts";
import { MIGRATION, POSTGRES, REDIS } from "../stack/workloads.ts";

export interface TeardownOptions {
  deleteData: boolean;
  deleteNamespace: boolean;
  dryRun: boolean;
  /** --yes: --delete-data confirmed without a prompt. */
  yes: boolean;
  /** Asks the operator to type `expected`; resolves true when they did. Absent = not interactive. */
  confirm?: (question: string, expected: string) => Promise<boolean>;
}

export interface DeleteStep {
  stage: string;
  /** Short name of the stage, for check ids: ingress, apps, jobs, data-stores, config, claims... */
  stageKey: string;
  /** kubectl resource ("deployments.apps", "configmaps,secrets"). */
  resource: string;
  kind: string;
  names: string[];
  /** Deletes by label instead of names: leftovers of earlier versions (hash-suffixed config, old migration Jobs). */
  selector?: string;
  namespaced: boolean;
}

export interface KeptObject {
  kind: string;
  name: string;
  reason: string;
}

export interface TeardownPlan {
  namespace: string;
  steps: DeleteStep[];
  kept: KeptObject[];
}

const STACK_SELECTOR = `app.kubernetes.io/part-of=${PART_OF},app.kubernetes.io/instance=${INSTANCE}`;
const DATA_STORES = new Set<string>([POSTGRES.name, REDIS.name]);

/** Reverse install order: what serves traffic first, the data stores late, configuration last. */
const STAGES: Record<number, { rank: number; stage: string; key: string }> = {
  1: { rank: 1, key: "ingress", stage: "ingress and routes" },
  2: { rank: 2, key: "autoscaling", stage: "autoscaling, disruption budgets, monitoring" },
  3: { rank: 3, key: "apps", stage: "gateway and apps" },
  4: { rank: 4, key: "jobs", stage: "migration and test jobs" },
  5: { rank: 5, key: "data-stores", stage: "data stores" },
  6: { rank: 6, key: "services", stage: "services" },
  7: { rank: 7, key: "config", stage: "configuration, secrets, policies, service accounts" },
  8: { rank: 8, key: "claims", stage: "data (claims)" },
  9: { rank: 9, key: "namespace", stage: "namespace" },
};

function rankOf(o: KubeJson): number {
  switch (o.kind) {
    case "Ingress":
    case "HTTPRoute":
    case "Gateway":
      return 1;
    case "HorizontalPodAutoscaler":
    case "PodDisruptionBudget":
    case "ServiceMonitor":
    case "PodMonitor":
    case "PrometheusRule":
      return 2;
    case "Deployment":
    case "StatefulSet":
      return DATA_STORES.has(nameOf(o)) ? 5 : 3;
    case "CronJob":
      return 3;
    case "Job":
      return 4;
    case "Service":
      return 6;
    case "PersistentVolumeClaim":
      return 8;
    case "Namespace":
      return 9;
    default:
      return 7;
  }
}

export function planTeardown(target: Target, opts: Pick<TeardownOptions, "deleteData" | "deleteNamespace">): TeardownPlan {
  if (opts.deleteNamespace && !opts.deleteData) {
    throw new UsageError("--delete-namespace deletes the claims in it too: give --delete-data as well");
  }
  const kept: KeptObject[] = [];
  const groups = new Map<string, DeleteStep & { rank: number }>();
  for (const o of target.objects) {
    const name = nameOf(o);
    const r = resourceOf(o.kind!, o.apiVersion);
    if (o.kind === "PersistentVolume") {
      kept.push({ kind: o.kind, name, reason: "teardown never deletes PersistentVolumes (reclaim Retain keeps the data); kubectl delete pv by hand when sure" });
      continue;
    }
    if (o.kind === "PersistentVolumeClaim" && !opts.deleteData) {
      kept.push({ kind: o.kind, name, reason: "holds the data; --delete-data --yes deletes the claim (and, with a Delete reclaim policy, its volume)" });
      continue;
    }
    if (o.kind === "Namespace" && !opts.deleteNamespace) {
      kept.push({ kind: o.kind, name, reason: "--delete-namespace --delete-data removes it" });
      continue;
    }
    if (!r.namespaced && o.kind !== "Namespace") {
      kept.push({ kind: o.kind!, name, reason: "cluster-scoped: not removed by teardown" });
      continue;
    }
    const { rank, stage, key: stageKey } = STAGES[rankOf(o)]!;
    const key = `${rank}\u0000${r.resource}`;
    const step = groups.get(key) ?? { rank, stage, stageKey, resource: r.resource, kind: o.kind!, names: [], namespaced: r.namespaced };
    step.names.push(name);
    groups.set(key, step);
  }
  const steps = [...groups.values()].sort((a, b) => a.rank - b.rank || a.resource.localeCompare(b.resource));
  // Leftovers of earlier versions: migration Jobs named after older tags, hash-suffixed ConfigMaps/Secrets.
  const sweeps: (DeleteStep & { rank: number })[] = [];
  if (steps.some((s) => s.kind === "Job")) {
    sweeps.push({ ...STAGES[4]!, stageKey: "jobs", resource: "jobs.batch", kind: "Job", names: [], selector: `app.kubernetes.io/name=${MIGRATION.name},app.kubernetes.io/instance=${INSTANCE}`, namespaced: true });
  }
  if (steps.some((s) => s.kind === "ConfigMap" || s.kind === "Secret")) {
    sweeps.push({ ...STAGES[7]!, stageKey: "config", resource: "configmaps,secrets", kind: "ConfigMap,Secret", names: [], selector: STACK_SELECTOR, namespaced: true });
  }
  const all = [...steps, ...sweeps].sort((a, b) => a.rank - b.rank);
  const steps_: DeleteStep[] = all.map((s) => ({
    stage: s.stage,
    stageKey: s.stageKey,
    resource: s.resource,
    kind: s.kind,
    names: s.names,
    ...(s.selector ? { selector: s.selector } : {}),
    namespaced: s.namespaced,
  }));
  return { namespace: target.namespace, steps: steps_, kept };
}

export function deleteArgs(step: DeleteStep, namespace: string): string[] {
  return [
    "delete",
    step.resource,
    ...(step.selector ? ["-l", step.selector] : step.names),
    ...(step.namespaced ? ["-n", namespace] : []),
    "--ignore-not-found",
    "--wait=false",
  ];
}

function describeStep(step: DeleteStep): string {
  return step.selector ? `${step.kind} with ${step.selector} (leftovers of earlier versions)` : `${step.kind} ${step.names.join(", ")}`;
}

type Emit = (id: string, title: string, o: Outcome, remediation?: string) => void;

function emitter(onResult: (r: Result) => void): { results: Result[]; emit: Emit } {
  const results: Result[] = [];
  const emit: Emit = (id, title, o, remediation) => {
    const r: Result = { id, title, status: o.status, detail: o.detail, ...(o.status === "fail" ? { remediation: o.remediation ?? remediation } : {}) };
    results.push(r);
    onResult(r);
  };
  return { results, emit };
}

const stepId = (step: DeleteStep) => `delete/${step.stageKey}/${step.resource}${step.selector ? "/leftovers" : ""}`;
const stepTitle = (step: DeleteStep) => `Delete ${step.stage}: ${describeStep(step)}`;
const dryRunStep = (emit: Emit, step: DeleteStep, namespace: string) => emit(stepId(step), stepTitle(step), skip(`dry run: kubectl ${deleteArgs(step, namespace).join(" ")}`));

function emitKept(emit: Emit, plan: TeardownPlan): void {
  for (const kept of plan.kept) {
    emit(`keep/${kept.kind.toLowerCase()}/${kept.name}`, `Keep ${kept.kind} ${kept.name}`, skip(`kept - ${kept.reason}`));
  }
}

/**
 * `--dry-run` when no cluster is reachable: the plan from the rendered overlay alone. Nothing is checked: whether
 * the namespace exists, or whether Argo CD still manages the environment (teardown would refuse then).
 */
export function offlineDryRun(target: Target, opts: Pick<TeardownOptions, "deleteData" | "deleteNamespace">, onResult: (r: Result) => void = () => {}): Result[] {
  const plan = planTeardown(target, opts);
  const { results, emit } = emitter(onResult);
  if (target.argocd) {
    emit("argocd", "Argo CD no longer manages the environment", skip(`not checked without a cluster: teardown refuses while Application ${target.argocd.namespace}/${target.argocd.application} exists`));
  }
  for (const step of plan.steps) dryRunStep(emit, step, plan.namespace);
  emitKept(emit, plan);
  return results;
}

/** Runs the plan, announcing each step. Refuses when Argo CD still owns the environment. */
export async function runTeardown(
  k: Kubectl,
  target: Target,
  opts: TeardownOptions,
  onResult: (r: Result) => void = () => {},
): Promise<Result[]> {
  const plan = planTeardown(target, opts);
  const { results, emit } = emitter(onResult);

  if (target.argocd) {
    const app = await k.getJson(["application", target.argocd.application, "-n", target.argocd.namespace]);
    if (app) {
      emit("argocd", "Argo CD no longer manages the environment", fail(`Application ${target.argocd.namespace}/${target.argocd.application} exists: Argo CD would re-create what teardown deletes`), `take the environment out of Argo CD first: set argocd.enabled: false in overlays/${target.env}/settings.yaml, npm run generate, then kubectl delete application ${target.argocd.application} -n ${target.argocd.namespace} (its finalizer removes what Argo CD synced; claims and namespace are Prune=false/Delete=false); then run teardown for what is left`);
      return results;
    }
    emit("argocd", "Argo CD no longer manages the environment", pass(`no Application ${target.argocd.application}`));
  }

  const claims = target.objects.filter((o) => o.kind === "PersistentVolumeClaim").map(nameOf);
  if (opts.deleteData && !opts.dryRun && !opts.yes) {
    const question = `--delete-data deletes the claims ${claims.join(", ") || "(none)"} in namespace ${plan.namespace}${opts.deleteNamespace ? " and the namespace itself" : ""}; their data is lost unless the volumes are Retain. Type the namespace (${plan.namespace}) to confirm: `;
    if (!opts.confirm) throw new UsageError("--delete-data needs confirmation: run it in a terminal to be asked, or add --yes");
    if (!(await opts.confirm(question, plan.namespace))) {
      throw new UsageError("not confirmed: nothing deleted");
    }
  }

  const ns = await k.getJson(["namespace", plan.namespace]);
  if (!ns) {
    emit("namespace", "Namespace present", pass(`${plan.namespace} not found: nothing installed to remove`));
  } else {
    for (const step of plan.steps) {
      const args = deleteArgs(step, plan.namespace);
      const id = stepId(step);
      const title = stepTitle(step);
      if (opts.dryRun) {
        dryRunStep(emit, step, plan.namespace);
        continue;
      }
      const r = await k.run(args);
      const deleted = r.stdout.split("\n").filter((l) => /deleted/.test(l)).length;
      const detail = step.selector
        ? `${deleted} deleted`
        : `${deleted}/${step.names.length} deleted${deleted < step.names.length ? " (the rest were already gone)" : ""}`;
      if (r.ok) emit(id, title, pass(detail));
      else emit(id, title, fail(firstLine(r.stderr) || `kubectl exited ${r.code}`), `re-run teardown; kubectl get ${step.resource} -n ${plan.namespace}`);
    }
  }
  emitKept(emit, plan);
  return results;
}
