// Facts about an environment that more than one part of the project needs (the model, notes, the cluster
// commands, Argo CD delivery): derived here, once, from validated settings. Nothing else re-derives them.
import type { Settings } from "../settings/schema.ts";
import { PART_OF } from "./meta.ts";

/** <prefix>-<tag>: one Job per gateway version, so `kubectl apply` never edits an immutable Job template. */
export function versionedJobName(prefix: string, s: Settings): string {
  const tag = s.gateway.image.tag.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return `${prefix}-${tag}`.slice(0, 63).replace(/-$/, "");
}

/** The post-sync Job that registers the fast-time server with the gateway runs. */
export const registersFastTime = (s: Settings): boolean => s.postSyncTests.registerFastTime && s.fastTime.enabled;

/** Any post-sync Job runs (the gateway's NetworkPolicy then admits them). */
export const postSyncRuns = (s: Settings): boolean => s.postSyncTests.enabled || registersFastTime(s);

/**
 * The fast-time server has its own Ingress path: only ingress-nginx can strip the path prefix (the server serves
 * /http, /sse, /health at its root); behind an AWS load balancer it is reached through the gateway instead.
 */
export const fastTimeExposed = (s: Settings): boolean =>
  s.fastTime.enabled && s.ingress.enabled && s.ingress.controller === "ingress-nginx";

/** Where the Argo CD objects live. */
export const ARGOCD_NAMESPACE = "argocd";
/** Label on each Application naming its environment. */
export const ENV_LABEL = "mcp-stack.dev/environment";
/** The Argo CD Application that delivers overlays/<env>. */
export const applicationName = (env: string): string => `${PART_OF}-${env}`;

/** The Application delivering an environment, when Argo CD delivers it (settings.argocd.enabled). */
export function argoCdDelivery(env: string | undefined, s: Settings): { application: string; namespace: string } | undefined {
  return env && s.argocd.enabled ? { application: applicationName(env), namespace: ARGOCD_NAMESPACE } : undefined;
}
