// The seed's "Verify Deployment" and the HPA guide's "Verifying & Monitoring", read from status fields:
// workloads rolled out, migration Job complete, HPA reading metrics, claims bound, the gateway's /health
// and /ready answering (and /health through each Ingress host), External Secrets synced, Argo CD's Application synced and healthy.
import { conditionOf, firstLine, type Kubectl, type KubeJson } from "./kubectl.ts";
import { ROUTE_VERIFY_CHECKS } from "./checks-routes.ts";
import { fail, pass, warn, type Check, type Outcome } from "./report.ts";
import { claimsOf, hasHpa, nameOf, ofKind, type Target } from "./target.ts";
import { FAST_TIME, GATEWAY } from "../stack/workloads.ts";
import { externalUrl } from "../stack/gateway.ts";
import { hostUrl, isWildcardHost, routeHosts, servedOverTls } from "../settings/derived.ts";
import { probeEdge, unhealthyStatus } from "./edge-health.ts";

export interface VerifyContext {
  k: Kubectl;
  target: Target;
  /** Base URL of the gateway (the ingress, or a port-forward): /health and /ready are fetched there. */
  url?: string;
  fetchTimeoutMs?: number;
  /** Where an Ingress's load balancer listens for http and https (80 and 443; a test's stand-in listens elsewhere). */
  ingressPorts?: { http: number; https: number };
  /** A JWT issued before a cutover (verify --token-file): still accepted means JWT_SECRET_KEY carried over. */
  token?: string;
}

/**
 * Any authenticated user may read their own profile: GET /v1/auth/email/me (IBM/mcp-context-forge v1.0.8
 * mcpgateway/routers/email_auth.py:537, mounted at /auth/email in mcpgateway/api/v1/__init__.py:190 under the
 * /v1 router of mcpgateway/main.py:12811-12825).
 */
export const TOKEN_CHECK_PATH = "v1/auth/email/me";

const ns = (t: Target) => t.namespace;

/** Rolled out, from status fields (what `kubectl rollout status` waits for). Returns why not, or undefined. */
export function notRolledOut(o: KubeJson, kind = o.kind): string | undefined {
  const s = o.status ?? {};
  const desired: number = o.spec?.replicas ?? 1;
  if ((s.observedGeneration ?? 0) < (o.metadata?.generation ?? 0)) return "new spec not yet observed by the controller";
  if (kind === "Deployment") {
    const progressing = conditionOf(o, "Progressing");
    if (progressing?.reason === "ProgressDeadlineExceeded") return `progress deadline exceeded (${s.updatedReplicas ?? 0}/${desired} updated)`;
    if ((s.updatedReplicas ?? 0) < desired) return `${s.updatedReplicas ?? 0}/${desired} replicas updated`;
    if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return `${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas pending termination`;
    if ((s.availableReplicas ?? 0) < desired) return `${s.availableReplicas ?? 0}/${desired} replicas available`;
    return undefined;
  }
  // StatefulSet
  if ((s.readyReplicas ?? 0) < desired) return `${s.readyReplicas ?? 0}/${desired} replicas ready`;
  if ((s.updatedReplicas ?? 0) < desired) return `${s.updatedReplicas ?? 0}/${desired} replicas updated`;
  if (s.updateRevision && s.currentRevision && s.updateRevision !== s.currentRevision) return "rolling update in progress";
  return undefined;
}

/** Why the pods of a workload are not ready, mapped onto the seed's troubleshooting table. */
export function diagnosePods(pods: KubeJson[], kind: string, name: string, namespace: string): { detail: string; remediation: string } {
  const describe = `kubectl describe ${kind.toLowerCase()}/${name} -n ${namespace}; kubectl get pods -n ${namespace} -l app.kubernetes.io/name=${name}`;
  for (const p of pods) {
    const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])] as {
      name: string;
      state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
      lastState?: { terminated?: { reason?: string; exitCode?: number } };
    }[];
    for (const c of statuses) {
      const reason = c.state?.waiting?.reason;
      if (reason === "ImagePullBackOff" || reason === "ErrImagePull" || reason === "InvalidImageName") {
        return {
          detail: `${nameOf(p)}: ${reason}`,
          remediation: `image missing or private: check the image tag/digest in settings.yaml and that imagePullSecrets names a pull secret in ${namespace} (kubectl describe pod ${nameOf(p)} -n ${namespace})`,
        };
      }
      if (reason === "CrashLoopBackOff") {
        const last = c.lastState?.terminated;
        return {
          detail: `${nameOf(p)}: CrashLoopBackOff${last ? ` (last exit ${last.exitCode}${last.reason ? ` ${last.reason}` : ""})` : ""}`,
          remediation: `bad configuration or missing env: kubectl logs ${nameOf(p)} -n ${namespace} -c ${c.name} --previous; kubectl describe pod ${nameOf(p)} -n ${namespace}${last?.reason === "OOMKilled" ? "; OOMKilled: raise resources.limits.memory in settings.yaml" : ""}`,
        };
      }
      if (reason === "CreateContainerConfigError") {
        return {
          detail: `${nameOf(p)}: CreateContainerConfigError${c.state?.waiting?.message ? ` (${c.state.waiting.message})` : ""}`,
          remediation: `a Secret or ConfigMap the pod reads is missing: confirm the envFrom refs exist (kubectl get secret,configmap -n ${namespace}); npm run preflight checks the credentials`,
        };
      }
    }
    const scheduled = conditionOf(p, "PodScheduled");
    if (p.status?.phase === "Pending" && scheduled?.status === "False") {
      return {
        detail: `${nameOf(p)}: Pending, ${scheduled.reason ?? "unschedulable"}${scheduled.message ? ` (${firstLine(scheduled.message)})` : ""}`,
        remediation: `not enough CPU/memory, a node selector/toleration that matches no node, or an unbound claim: kubectl describe pod ${nameOf(p)} -n ${namespace}`,
      };
    }
    if (p.status?.phase === "Running" && conditionOf(p, "Ready")?.status !== "True") {
      return {
        detail: `${nameOf(p)}: Running, not Ready`,
        remediation: `readiness/startup probe failing (the gateway needs PostgreSQL and Redis): kubectl logs ${nameOf(p)} -n ${namespace}; kubectl describe pod ${nameOf(p)} -n ${namespace}`,
      };
    }
  }
  return { detail: pods.length ? "" : "no pods", remediation: describe };
}

const WORKLOAD_KINDS = ["Deployment", "StatefulSet"];

export const VERIFY_CHECKS: Check<VerifyContext>[] = [
  {
    id: "argocd",
    title: "Argo CD Application synced and healthy",
    remediation: ({ target }) =>
      `argocd app get ${target.argocd?.application} (or kubectl describe application ${target.argocd?.application} -n ${target.argocd?.namespace}); argocd app sync ${target.argocd?.application}`,
    applies: ({ target }) => Boolean(target.argocd),
    run: async ({ k, target }) => {
      const a = target.argocd!;
      const app = await k.getJson(["application", a.application, "-n", a.namespace]);
      if (!app) return fail(`Application ${a.namespace}/${a.application} not found`, { remediation: `bootstrap Argo CD delivery: kubectl apply -k . (the root kustomization: AppProject + Applications); when Argo CD runs in another cluster, this check needs that cluster's --context` });
      const sync = app.status?.sync?.status ?? "Unknown";
      const health = app.status?.health?.status ?? "Unknown";
      const detail = `${a.application}: sync ${sync}, health ${health}`;
      return sync === "Synced" && health === "Healthy" ? pass(detail) : fail(detail);
    },
  },
  {
    id: "namespace",
    title: "Namespace exists",
    remediation: ({ target }) => `install first (see README: From an empty cluster to a verified install); kubectl get namespace ${target.namespace}`,
    run: async ({ k, target }) => {
      const n = await k.getJson(["namespace", ns(target)]);
      if (!n) return fail(`${ns(target)} not found`);
      if (n.status?.phase === "Terminating") return fail(`${ns(target)} is Terminating`);
      return pass(`${ns(target)} Active`);
    },
  },
  {
    id: "rollout",
    title: "Workloads rolled out",
    remediation: "kubectl get pods -n <ns>",
    run: async ({ k, target }) =>
      Promise.all(
        target.objects
          .filter((o) => WORKLOAD_KINDS.includes(o.kind!))
          .map(async (o): Promise<Outcome> => {
            const name = nameOf(o);
            const id = `rollout/${name}`;
            const title = `${o.kind} ${name} rolled out`;
            const live = await k.getJson([o.kind!.toLowerCase(), name, "-n", ns(target)]);
            if (!live) return fail(`${o.kind} ${name} not found`, { id, title, remediation: `apply the environment (kubectl apply -k overlays/${target.env}) or sync it in Argo CD` });
            const why = notRolledOut(live, o.kind);
            if (!why) {
              const ready = live.status?.readyReplicas ?? 0;
              return pass(`${ready}/${live.spec?.replicas ?? 1} ready`, { id, title });
            }
            const pods = await k.list(["pods", "-n", ns(target), "-l", `app.kubernetes.io/name=${name},app.kubernetes.io/instance=mcp-stack`]);
            const d = diagnosePods(pods, o.kind!, name, ns(target));
            return fail(d.detail ? `${why}; ${d.detail}` : why, { id, title, remediation: d.remediation });
          }),
      ),
  },
  {
    id: "migration",
    title: "Migration Job complete",
    remediation: "kubectl logs job/<name> -n <ns>",
    applies: ({ target }) => ofKind(target, "Job").length > 0,
    run: async ({ k, target }) =>
      Promise.all(
        ofKind(target, "Job").map(async (job): Promise<Outcome> => {
          const name = nameOf(job);
          const id = `job/${name}`;
          const logs = `kubectl logs job/${name} -n ${ns(target)}`;
          const live = await k.getJson(["job", name, "-n", ns(target)]);
          if (!live) {
            const ttl = job.spec?.ttlSecondsAfterFinished;
            return warn(`${name} not found${ttl !== undefined ? ` (removed ${ttl}s after it finishes)` : ""}`, {
              id,
              remediation: `if the gateway rolled out, the schema is in place; otherwise re-apply or re-sync to run ${name} again and watch ${logs}`,
            });
          }
          const failed = conditionOf(live, "Failed");
          if (failed?.status === "True") {
            return fail(`${name} Failed: ${failed.reason ?? ""}${failed.message ? ` (${failed.message})` : ""}`.trim(), {
              id,
              remediation: `${logs} (database reachable? credentials right?); after the fix: kubectl delete job ${name} -n ${ns(target)} and re-apply or re-sync`,
            });
          }
          if (conditionOf(live, "Complete")?.status === "True" || (live.status?.succeeded ?? 0) >= 1) {
            return pass(`${name} Complete`, { id });
          }
          return fail(`${name} not finished (active ${live.status?.active ?? 0}, failed pods ${live.status?.failed ?? 0})`, {
            id,
            remediation: `wait and re-run verify; follow it: kubectl logs -f job/${name} -n ${ns(target)}`,
          });
        }),
      ),
  },
  {
    id: "hpa",
    title: "HPA reading metrics",
    remediation: ({ target }) =>
      `metrics-server missing or failing (TARGETS <unknown>): kubectl logs deployment/metrics-server -n kube-system; kubectl describe hpa ${GATEWAY.name} -n ${target.namespace}`,
    applies: ({ target }) => hasHpa(target),
    run: async ({ k, target }) =>
      Promise.all(
        ofKind(target, "HorizontalPodAutoscaler").map(async (h): Promise<Outcome> => {
          const name = nameOf(h);
          const id = `hpa/${name}`;
          const live = await k.getJson(["horizontalpodautoscaler", name, "-n", ns(target)]);
          if (!live) return fail(`${name} not found`, { id });
          const metrics = (live.status?.currentMetrics ?? []) as { type?: string; resource?: { name?: string; current?: { averageUtilization?: number; averageValue?: string } } }[];
          const wanted = (live.spec?.metrics ?? []) as { resource?: { name?: string; target?: { averageUtilization?: number } } }[];
          const read = metrics.filter((m) => m.resource?.current?.averageUtilization !== undefined || m.resource?.current?.averageValue !== undefined);
          const scaling = conditionOf(live, "ScalingActive");
          if (read.length === 0 || read.length < wanted.length || scaling?.status === "False") {
            const unknown = wanted.map((w) => `${w.resource?.name ?? "?"}: <unknown>/${w.resource?.target?.averageUtilization ?? "?"}%`).join(", ");
            return fail(`${unknown}${scaling?.status === "False" ? ` (${scaling.reason}${scaling.message ? `: ${firstLine(scaling.message)}` : ""})` : ""}`, { id });
          }
          const shown = read
            .map((m) => {
              const target = wanted.find((w) => w.resource?.name === m.resource?.name)?.resource?.target?.averageUtilization;
              return `${m.resource?.name} ${m.resource?.current?.averageUtilization ?? m.resource?.current?.averageValue}%/${target ?? "?"}%`;
            })
            .join(", ");
          return pass(`${shown}, ${live.status?.currentReplicas ?? "?"} replicas (${live.spec?.minReplicas}-${live.spec?.maxReplicas})`, { id });
        }),
      ),
  },
  {
    id: "pvc",
    title: "Volume claims bound",
    remediation: "kubectl describe pvc <name> -n <ns>",
    applies: ({ target }) => claimsOf(target).length > 0,
    run: async ({ k, target }) =>
      Promise.all(
        claimsOf(target).map(async (c): Promise<Outcome> => {
          const id = `pvc/${c.claim}`;
          const describe = `kubectl describe pvc ${c.claim} -n ${ns(target)}`;
          const live = await k.getJson(["persistentvolumeclaim", c.claim, "-n", ns(target)]);
          if (!live) return fail(`${c.claim} not found`, { id, remediation: `apply the environment; ${describe}` });
          const phase = live.status?.phase ?? "Unknown";
          if (phase === "Bound") return pass(`${c.claim} Bound to ${live.spec?.volumeName ?? "?"} (${live.status?.capacity?.storage ?? "?"})`, { id });
          const remediation =
            c.storageClassName === ""
              ? `no matching PV: check storageClassName, size and accessModes match PV ${c.volumeName ?? "?"} (kubectl get pv ${c.volumeName ?? ""}); a Released PV needs its claimRef uid removed (npm run preflight -- ${target.env} says how); ${describe}`
              : `no ${c.storageClassName ? `StorageClass ${c.storageClassName}` : "default StorageClass"} or its provisioner is failing (npm run preflight -- ${target.env ?? ""}); a WaitForFirstConsumer class binds only once the pod is scheduled; ${describe}`;
          return fail(`${c.claim} ${phase}`, { id, remediation });
        }),
      ),
  },
  {
    id: "external-secrets",
    title: "External Secrets synced",
    remediation: "kubectl describe externalsecret <name> -n <ns>",
    applies: ({ target }) => ofKind(target, "ExternalSecret").length > 0,
    run: async ({ k, target }) =>
      Promise.all(
        ofKind(target, "ExternalSecret").map(async (es): Promise<Outcome> => {
          const name = nameOf(es);
          const id = `external-secret/${name}`;
          const live = await k.getJson(["externalsecret", name, "-n", ns(target)]);
          const remediation = `kubectl describe externalsecret ${name} -n ${ns(target)} (remote key present in the store? store Ready?)`;
          if (!live) return fail(`${name} not found`, { id, remediation });
          const ready = conditionOf(live, "Ready");
          return ready?.status === "True"
            ? pass(`${name} Ready`, { id })
            : fail(`${name} not Ready${ready?.message ? `: ${firstLine(ready.message)}` : ""}`, { id, remediation });
        }),
      ),
  },
  {
    id: "ingress",
    title: "Ingress has an address",
    remediation: "controller not ready or host mismatch: kubectl get ingress -n <ns>; verify DNS or /etc/hosts",
    applies: ({ target }) => ofKind(target, "Ingress").length > 0,
    run: async ({ k, target }) =>
      Promise.all(
        ofKind(target, "Ingress").map(async (ing): Promise<Outcome> => {
          const name = nameOf(ing);
          const id = `ingress/${name}`;
          const remediation = `controller not ready or host mismatch: kubectl describe ingress ${name} -n ${ns(target)}; npm run preflight -- ${target.env ?? ""} checks the controller; verify DNS or /etc/hosts for ${target.settings.ingress.host}`;
          const live = await k.getJson(["ingress", name, "-n", ns(target)]);
          if (!live) return fail(`${name} not found`, { id, remediation });
          const lb = ((live.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string }[]).map((a) => a.hostname ?? a.ip).filter(Boolean);
          return lb.length ? pass(`${name}: ${lb.join(", ")}`, { id }) : warn(`${name}: no address yet`, { id, remediation });
        }),
      ),
  },
  {
    id: "ingress-health",
    title: "/health through each Ingress for each host (at its load balancer's address, Host header the host)",
    remediation: "",
    // With --url the health check already goes there.
    applies: ({ target, url }) => !url && ofKind(target, "Ingress").length > 0,
    run: async ({ k, target, fetchTimeoutMs, ingressPorts = { http: 80, https: 443 } }) => {
      const s = target.settings;
      const hosts = routeHosts(s).filter((h) => !isWildcardHost(h));
      const outcomes = await Promise.all(
        ofKind(target, "Ingress").map(async (ing): Promise<Outcome[]> => {
          const name = nameOf(ing);
          const probe = name === GATEWAY.name ? { what: "gateway", path: `${s.ingress.path.replace(/\/$/, "")}/health` } : name === FAST_TIME.name ? { what: "fast-time", path: `${s.fastTime.path}/health` } : undefined;
          if (!probe) return [];
          const live = await k.getJson(["ingress", name, "-n", ns(target)]);
          const address = ((live?.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string }[]).map((a) => a.hostname ?? a.ip).find(Boolean);
          if (!address) {
            return [
              warn(`not reachable from here: Ingress ${name} has no address${live ? "" : " (not found)"}`, {
                id: `ingress-health/${probe.what}`,
                remediation: `once it has one (kubectl get ingress ${name} -n ${ns(target)}), or where the controller publishes none: npm run verify -- ${target.env ?? "<env>"} --url ${externalUrl(s)}`,
              }),
            ];
          }
          return Promise.all(
            hosts.map((host) => {
              const scheme = servedOverTls(s) ? "https" : "http";
              const id = `ingress-health/${probe.what}${host === s.ingress.host ? "" : `@${host}`}`;
              return probeEdge({ id, scheme, address, port: ingressPorts[scheme], host, path: probe.path, gateway: name === GATEWAY.name }, fetchTimeoutMs ?? 5_000, {
                failed: `kubectl describe ingress ${name} -n ${ns(target)} (404: host or path mismatch, or another controller answers; 502/503: no ready pods behind the Service)`,
                unhealthy: `kubectl logs deployment/${GATEWAY.name} -n ${ns(target)}`,
                unreachable: `the address may be private to the cluster's network, or DNS for ${host} not set: from inside it, npm run verify -- ${target.env ?? "<env>"} --url ${hostUrl(s, host)}`,
              });
            }),
          );
        }),
      );
      return outcomes.flat();
    },
  },
  ...ROUTE_VERIFY_CHECKS,
  {
    id: "health",
    title: "Gateway /health and /ready answer",
    remediation: "",
    applies: ({ target }) => target.objects.some((o) => o.kind === "Service" && nameOf(o) === GATEWAY.name),
    run: async (ctx) => Promise.all(["health", "ready"].map((p) => probe(ctx, p))),
  },
  {
    id: "old-token",
    title: "A token issued before the cutover is still accepted",
    remediation: "",
    applies: (ctx) => ctx.token !== undefined,
    run: async ({ url, token, target, fetchTimeoutMs }) => {
      if (!url) {
        return warn("needs --url (the API server's service proxy does not pass an Authorization header)", {
          remediation: `kubectl port-forward svc/${GATEWAY.name} 8080:${GATEWAY.servicePort} -n ${target.namespace}, then add --url http://localhost:8080`,
        });
      }
      const at = `${url.replace(/\/+$/, "")}/${TOKEN_CHECK_PATH}`;
      try {
        const res = await fetch(at, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(fetchTimeoutMs ?? 10_000) });
        if (res.ok) return pass(`${at}: ${res.status}, the gateway verifies the old token with the carried-over JWT_SECRET_KEY`);
        return fail(`${at}: HTTP ${res.status}`, {
          remediation:
            res.status === 401 || res.status === 403
              ? `JWT_SECRET_KEY (or JWT_AUDIENCE/JWT_ISSUER) differs from the release's, or the token expired: copy the key again (runbook step 2) and restart the gateway`
              : `kubectl logs deployment/${GATEWAY.name} -n ${target.namespace}`,
        });
      } catch (err) {
        return fail(`${at}: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`);
      }
    },
  },
];

export function serviceProxyPath(namespace: string, path: string): string {
  return `/api/v1/namespaces/${namespace}/services/http:${GATEWAY.name}:${GATEWAY.servicePort}/proxy/${path}`;
}

/** /health answers 200 with "status": "unhealthy" when the database is unreachable (edge-health.ts). */
const reportsUnhealthy = (path: string, body: string) => path === "health" && unhealthyStatus(body) !== undefined;

async function probe({ k, target, url, fetchTimeoutMs }: VerifyContext, path: string): Promise<Outcome> {
  const id = `health/${path}`;
  const title = `Gateway /${path}`;
  const portForward = `kubectl port-forward svc/${GATEWAY.name} 8080:${GATEWAY.servicePort} -n ${target.namespace}, then npm run verify -- ${target.env ?? "<env>"} --url http://localhost:8080`;
  if (url) {
    const target_ = `${url.replace(/\/+$/, "")}/${path}`;
    try {
      const res = await fetch(target_, { signal: AbortSignal.timeout(fetchTimeoutMs ?? 10_000), redirect: "follow" });
      const body = (await res.text()).trim().slice(0, 120);
      return res.ok && !reportsUnhealthy(path, body)
        ? pass(`${target_}: ${res.status} ${body}`, { id, title })
        : fail(`${target_}: HTTP ${res.status} ${body}`, { id, title, remediation: `kubectl logs deployment/${GATEWAY.name} -n ${target.namespace}; ingress 404: host mismatch or controller not ready (kubectl get ingress -n ${target.namespace})` });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return fail(`${target_}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, {
        id,
        title,
        remediation: `DNS or /etc/hosts for the ingress host (minikube: "$(minikube ip) ${target.settings.ingress.host}"), or use a port-forward: ${portForward}`,
      });
    }
  }
  const r = await k.raw(serviceProxyPath(target.namespace, path));
  const body = r.stdout.trim().slice(0, 120);
  if (r.ok && !reportsUnhealthy(path, body)) return pass(`via API server proxy: ${body}`, { id, title });
  if (r.ok) return fail(`via API server proxy: ${body}`, { id, title, remediation: `the gateway answers but is not healthy (its database is unreachable?): kubectl logs deployment/${GATEWAY.name} -n ${target.namespace}` });
  return fail(`via API server proxy: ${firstLine(r.stderr) || `exit ${r.code}`}`, {
    id,
    title,
    remediation: `the NetworkPolicies admit only the ingress controller, so the API server proxy may be refused: ${portForward}; or --url https://${target.settings.ingress.host}; if the pods are not ready see rollout/${GATEWAY.name}`,
  });
}
