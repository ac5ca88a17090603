// The first sync, simulated the way Argo CD runs it: PreSync hooks, then the Sync phase wave by wave
// (resources and Sync hooks of a wave applied together, the next wave only once all of them are healthy),
// then PostSync hooks once everything is healthy. What an object needs comes from requirements.ts and the
// environment's `cluster:` settings. Reports objects that never become healthy (and what that holds back),
// references to objects of later waves, and CRD kinds that would abort the dry run.
import type { Environment, Hit } from "./types.ts";
import { arr, type Obj, rec, str } from "./model.ts";
import { BUILTIN_GROUPS, healthRequirements, type Requirement, usageRequirements } from "./requirements.ts";

const PHASES = ["PreSync", "Sync", "PostSync"] as const;

/** (phase, wave) of an object; undefined for hooks that do not run in a sync (SyncFail, Skip, PostDelete). */
export function stepOf(o: Obj): [number, number] | undefined {
  if (o.hooks.length === 0) return [1, o.wave];
  const phase = PHASES.findIndex((p) => o.hooks.includes(p));
  return phase < 0 ? undefined : [phase, o.wave];
}

const cmp = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
const label = ([phase, wave]: [number, number]) => (phase === 1 ? `wave ${wave}` : `${PHASES[phase]} wave ${wave}`);
const describe = (o: Obj) => `${o.kind} ${o.name}`;

function satisfied(r: Requirement, applied: ReadonlySet<Obj>, healthy: ReadonlySet<Obj>): boolean {
  if (r.type === "fact") return r.ok;
  return r.healthy ? healthy.has(r.target) : applied.has(r.target);
}

export interface SyncResult {
  /** The step the sync stops at, or undefined when it completes. */
  stuckAt?: [number, number];
  healthy: Set<Obj>;
  hits: Hit[];
}

export function simulateFirstSync(env: Environment): SyncResult {
  const objects = env.index.objects.filter((o) => stepOf(o) !== undefined);
  const steps = [...new Map(objects.map((o) => [stepOf(o)!.join(":"), stepOf(o)!])).values()].sort(cmp);
  const applied = new Set<Obj>();
  const healthy = new Set<Obj>();
  const reqs = new Map(objects.map((o) => [o, healthRequirements(env, o)]));
  const hits: Hit[] = [];
  let stuckAt: [number, number] | undefined;
  for (const step of steps) {
    const batch = objects.filter((o) => cmp(stepOf(o)!, step) === 0);
    for (const o of batch) applied.add(o);
    // Within a wave nothing waits: iterate until no object of the wave turns healthy any more.
    for (let changed = true; changed; ) {
      changed = false;
      for (const o of batch) {
        if (!healthy.has(o) && reqs.get(o)!.every((r) => satisfied(r, applied, healthy))) {
          healthy.add(o);
          changed = true;
        }
      }
    }
    const stuck = batch.filter((o) => !healthy.has(o));
    if (stuck.length === 0) continue;
    const later = objects.filter((o) => cmp(stepOf(o)!, step) > 0);
    const postSync = later.filter((o) => o.hooks.includes("PostSync"));
    const held = stuckAt
      ? `it would hold the sync at ${label(step)} too`
      : later.length === 0
        ? "it is the last step, so the sync never completes"
        : `the sync never gets past ${label(step)}: ${later.length} object(s) of later waves are never applied` +
          (postSync.length ? ` and the PostSync hook(s) ${postSync.map((o) => o.name).join(", ")} never run` : "");
    for (const o of stuck) {
      const unmet = reqs.get(o)!.filter((r) => !satisfied(r, applied, healthy));
      // Report root causes only: a missing fact, or something that comes later. An object that merely
      // waits for another stuck object is a consequence, named in that object's finding.
      const causes = unmet.filter((r) => r.type === "fact" || !applied.has(r.target));
      if (causes.length === 0) continue;
      const reason = causes.map((r) => (r.type === "object" ? `${r.what} comes only in ${label(stepOf(r.target)!)}` : r.what));
      hits.push({ rule: "first-sync-never-healthy", obj: o, path: causes[0]!.path, message: `never healthy in ${label(step)}: ${reason.join("; ")}; ${held}` });
    }
    // Go on as if the stuck objects had passed, so that every blocker is reported, not only the first.
    stuckAt ??= step;
    for (const o of stuck) healthy.add(o);
  }
  return { stuckAt, healthy, hits };
}

/** References to objects that come in a later step (or need a running pod of a later step). */
export function laterWaveReferences(env: Environment): Hit[] {
  const hits: Hit[] = [];
  for (const o of env.index.objects) {
    const step = stepOf(o);
    if (!step) continue;
    for (const r of [...healthRequirements(env, o), ...usageRequirements(env, o)]) {
      if (r.type !== "object") continue;
      const t = stepOf(r.target);
      if (!t || cmp(t, step) <= 0) continue;
      const message = `${describe(o)} (${label(step)}) needs ${r.what}, which is applied only in ${label(t)}`;
      hits.push({ rule: "first-sync-later-wave", obj: o, path: r.path, message });
    }
  }
  return hits;
}

/** Objects of CRD kinds without SkipDryRunOnMissingResource: a missing CRD fails the dry run of the whole sync. */
export function dryRunAborts(env: Environment): Hit[] {
  const skipAll = env.applicationSyncOptions.includes("SkipDryRunOnMissingResource=true");
  return env.index.objects
    .filter((o) => !BUILTIN_GROUPS.has(o.group) && !skipAll && !o.syncOptions.includes("SkipDryRunOnMissingResource=true"))
    .map((o) => ({
      rule: "first-sync-crd-dry-run",
      obj: o,
      path: "/metadata/annotations",
      message: `${o.kind} (${o.group}) has no argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true: where the CRD is missing, Argo CD's dry run fails and nothing of the sync is applied`,
    }));
}

/**
 * TLS Secrets an Ingress, a Gateway listener or a ReferenceGrant (a platform Gateway terminating with the stack's
 * Secret) names: someone must make them (rendered, an ExternalSecret, cert-manager, or created beforehand:
 * cluster.existingSecrets). The AWS Load Balancer Controller's Ingress ignores tls.secretName (ACM certificates).
 */
export function tlsSecrets(env: Environment): Hit[] {
  const hits: Hit[] = [];
  const certificates = env.index.ofKind("Certificate").map((c) => str(rec(c.object.spec).secretName));
  const made = (name: string) =>
    certificates.includes(name) ||
    env.settings.cluster.existingSecrets.includes(name) ||
    Boolean(env.index.get("Secret", name)) ||
    env.index.ofKind("ExternalSecret").some((e) => (str(rec(rec(e.object.spec).target).name) ?? e.name) === name);
  const missing = (name: string, effect: string) =>
    `TLS Secret ${name} is not rendered, made by no ExternalSecret or cert-manager Certificate, and not in cluster.existingSecrets: ${effect}`;
  for (const ing of env.settings.ingress.controller === "aws-load-balancer" ? [] : env.index.ofKind("Ingress")) {
    if (Object.keys(ing.annotations).some((k) => k.startsWith("cert-manager.io/"))) continue;
    arr(rec(ing.object.spec).tls).forEach((t, i) => {
      const name = str(rec(t).secretName);
      if (name && !made(name)) hits.push({ rule: "tls-secret-missing", obj: ing, path: `/spec/tls/${i}/secretName`, message: missing(name, "the controller serves its default certificate") });
    });
  }
  for (const gw of env.index.ofKind("Gateway")) {
    arr(rec(gw.object.spec).listeners).forEach((l, i) =>
      arr(rec(rec(l).tls).certificateRefs).forEach((r, j) => {
        const ref = rec(r);
        const name = str(ref.name);
        // Another namespace's Secret is its owner's (preflight checks its ReferenceGrant).
        if (!name || (str(ref.kind) ?? "Secret") !== "Secret" || (str(ref.namespace) ?? gw.namespace) !== gw.namespace || made(name)) return;
        hits.push({ rule: "tls-secret-missing", obj: gw, path: `/spec/listeners/${i}/tls/certificateRefs/${j}`, message: missing(name, `listener ${str(rec(l).name) ?? i} reports ResolvedRefs False (InvalidCertificateRef) and serves nothing`) });
      }),
    );
  }
  for (const grant of env.index.ofKind("ReferenceGrant")) {
    arr(rec(grant.object.spec).to).forEach((t, i) => {
      const name = str(rec(t).name);
      if (str(rec(t).kind) === "Secret" && name && !made(name)) {
        hits.push({ rule: "tls-secret-missing", obj: grant, path: `/spec/to/${i}/name`, message: missing(name, "the Gateway granted it cannot terminate TLS with it") });
      }
    });
  }
  return hits;
}

export function firstSync(env: Environment): Hit[] {
  if (!env.argocd) return [];
  return [...simulateFirstSync(env).hits, ...laterWaveReferences(env), ...dryRunAborts(env)];
}
