// Profiles: how strict the policy is for a kind of environment. A profile changes rule severities
// (or switches a rule off) and rule parameters; the rules themselves do not know about profiles.
//
// Decision on digest pinning: `image-digest` is a *warning* in production, not an error. A tag-pinned
// official image (postgres:17.x, redis:8.x) is reproducible enough not to fail the gate, while a warning
// still shows up in every report and in code scanning.
import type { Rule, SeverityOrOff } from "./types.ts";

export interface Profile {
  name: string;
  description: string;
  /** Severity changes relative to each rule's default. */
  severities: Readonly<Record<string, SeverityOrOff>>;
  /** Parameter changes: rule id → parameter → value. */
  parameters?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const production: Profile = {
  name: "production",
  description: "Production-like clusters: every rule at its default severity; hostPath volumes forbidden.",
  severities: {},
};

const dev: Profile = {
  name: "dev",
  description:
    "Local clusters: no HA, TLS or digest pinning; hostPath PersistentVolumes, " +
    "locally generated Secrets with data and NodePort Services are allowed (the first two still reported as info).",
  severities: {
    "min-replicas": "off",
    "pdb-present": "off",
    "pod-spreading": "off",
    "hpa-min-replicas": "off",
    "ingress-tls": "off",
    "listener-tls": "off",
    "image-digest": "off",
    "service-type": "off",
    "pv-host-path": "info",
    "no-secret-data": "info",
    "priority-class": "off",
  },
};

/** The engine's built-in profiles; a plugin may add or replace profiles. */
export const BUILTIN_PROFILES: Readonly<Record<string, Profile>> = { dev, production };

/** Applied to explicit paths when no profile is named. */
export const STRICTEST_PROFILE = "production";

/** A profile with extra severity and parameter changes layered on top (from policy configuration). */
export function withOverrides(
  profile: Profile,
  severities: Readonly<Record<string, SeverityOrOff>> | undefined,
  parameters?: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): Profile {
  const noSeverities = !severities || Object.keys(severities).length === 0;
  const noParameters = !parameters || Object.keys(parameters).length === 0;
  if (noSeverities && noParameters) return profile;
  const merged: Record<string, Readonly<Record<string, unknown>>> = { ...profile.parameters };
  for (const [rule, values] of Object.entries(parameters ?? {})) merged[rule] = { ...merged[rule], ...values };
  return { ...profile, severities: { ...profile.severities, ...severities }, parameters: merged };
}

export function severityFor(rule: Rule, profile: Profile): SeverityOrOff {
  return profile.severities[rule.id] ?? rule.severity;
}

/** A rule's parameters under a profile: declared defaults, then the profile's values. */
export function parametersFor(rule: Rule, profile: Profile): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(rule.parameters ?? {})) out[name] = spec.default;
  return { ...out, ...profile.parameters?.[rule.id] };
}
