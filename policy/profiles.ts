// Profiles: how strict the policy is for a kind of environment. A profile only changes rule
// severities (or switches a rule off); the rules themselves do not know about profiles.
//
// Decision on digest pinning: `image-digest` is a *warning* in production, not an error. A tag-pinned
// official image (postgres:17.x, redis:8.x, the gateway's vX.Y.Z) is reproducible enough not to fail
// the gate, while a warning still shows up in every report and in code scanning, and the eks overlay
// is expected to be warning-free, so production overlays pin digests (or carry a documented exemption).
import { UsageError } from "../scripts/lib/cli.ts";
import type { Rule, SeverityOrOff } from "./types.ts";

export interface Profile {
  name: string;
  description: string;
  /** Severity changes relative to each rule's default. */
  severities: Readonly<Record<string, SeverityOrOff>>;
}

const production: Profile = {
  name: "production",
  description: "Production-like clusters (eks): every rule at its default severity; hostPath volumes forbidden.",
  severities: {},
};

const dev: Profile = {
  name: "dev",
  description:
    "Local clusters (dev, minikube): no HA, TLS or digest pinning; hostPath PersistentVolumes, " +
    "locally generated Secrets with data and NodePort Services are allowed (the first two still reported as info).",
  severities: {
    "min-replicas": "off",
    "pdb-present": "off",
    "pod-spreading": "off",
    "hpa-min-replicas": "off",
    "ingress-tls": "off",
    "gateway-tls": "off",
    "image-digest": "off",
    "service-type": "off",
    "pv-host-path": "info",
    "no-secret-data": "info",
  },
};

export const PROFILES: Readonly<Record<string, Profile>> = { dev, production };

/** Applied to explicit paths when no --profile is given. */
export const STRICTEST_PROFILE = "production";

export function getProfile(name: string): Profile {
  const profile = PROFILES[name];
  if (!profile) {
    throw new UsageError(`unknown policy profile "${name}"`, { expected: `one of ${Object.keys(PROFILES).join(", ")}` });
  }
  return profile;
}

/** A profile with extra severity changes layered on top (from policy/config.yaml). */
export function withSeverities(profile: Profile, extra: Readonly<Record<string, SeverityOrOff>> | undefined): Profile {
  if (!extra || Object.keys(extra).length === 0) return profile;
  return { ...profile, severities: { ...profile.severities, ...extra } };
}

export function severityFor(rule: Rule, profile: Profile): SeverityOrOff {
  return profile.severities[rule.id] ?? rule.severity;
}
