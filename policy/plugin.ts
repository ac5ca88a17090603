// The MCP stack's policy plugin: the rules that know the gateway, the project's exemption annotation,
// the signing keys the gateway checks at start-up, and remediation texts that name this stack's values.
import type { PolicyPlugin } from "@mcp-stack/policy-engine";
import gatewayBindAddress from "./rules/gateway-bind-address.ts";
import gatewayDatabaseUrl from "./rules/gateway-database-url.ts";
import gatewaySkipMigrations from "./rules/gateway-skip-migrations.ts";
import { EXTERNAL_GRANTS_ANNOTATION, EXTERNAL_PARENTS_ANNOTATION } from "./annotations.ts";

/** `policy.mcp-stack.dev/ignore-<rule-id>: "<reason>"` on an object's own metadata exempts it from a rule. */
export const EXEMPTION_PREFIX = "policy.mcp-stack.dev/ignore-";

export const mcpStackPlugin: PolicyPlugin = {
  name: "mcp-stack",
  rules: [gatewayBindAddress, gatewayDatabaseUrl, gatewaySkipMigrations],
  exemptionPrefix: EXEMPTION_PREFIX,
  overrides: {
    "image-tag": {
      remediation: "Pin the image to a release tag (ghcr.io/ibm/mcp-context-forge:v1.0.8) or a digest (@sha256:…).",
    },
    "ingress-tls": {
      rationale: "The gateway carries credentials and tokens; in production mode it sets secure cookies and HSTS, so plain HTTP also breaks logins.",
    },
    "liveness-probe": {
      remediation: "Add a livenessProbe (for the gateway: GET /health on port 4444, with a generous initial delay).",
    },
    "networkpolicy-coverage": {
      rationale: "Pods no NetworkPolicy selects accept traffic from anywhere in the cluster (the upstream chart leaves the gateway open this way).",
    },
    "probes-differ": {
      remediation: "Make liveness check only that the process is alive (gateway: /health) and readiness that it can serve (gateway: /ready), or relax liveness thresholds.",
    },
    "read-only-root-filesystem": {
      remediation: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes (for the gateway: /tmp).",
    },
    "readiness-probe": {
      remediation: "Add a readinessProbe (for the gateway: GET /ready on port 4444).",
    },
    "run-as-user-non-zero": {
      remediation: "Set runAsUser to the image's non-root UID (10001 for the gateway, 999 for postgres and redis).",
    },
    "secret-strength": {
      rationale:
        "The gateway exits at start-up when JWT_SECRET_KEY or AUTH_ENCRYPTION_SECRET is empty, shorter than 32 characters, below 3.5 bits/char of entropy, a known weak value or a __REPLACE_ME__ placeholder; weak passwords (changeme, admin123, test123) are the first thing an attacker tries.",
      remediation: "Generate keys with `python -m mcpgateway.scripts.init_secrets` (or openssl rand -base64 48) and passwords of at least 12 random characters.",
      // mcpgateway/config.py (v1.0.8) validates these two keys at start-up.
      parameters: { signingKeys: ["JWT_SECRET_KEY", "AUTH_ENCRYPTION_SECRET"] },
    },
    "httproute-parent-exists": {
      remediation:
        "Render the Gateway (ingress.gatewayApi.mode create) or attach to the platform's (mode attach, gateway.name/namespace): " +
        `the generator then writes ${EXTERNAL_PARENTS_ANNOTATION}: <namespace>/<name> on the routes.`,
      parameters: { externalParentsAnnotation: EXTERNAL_PARENTS_ANNOTATION },
    },
    "listener-certificate-grant": {
      remediation:
        "A listener certificate in another namespace (ingress.gatewayApi.listeners[].tls.certificateRefs[].namespace) is granted there by its owner: " +
        `the generator writes ${EXTERNAL_GRANTS_ANNOTATION} on the Gateway and preflight checks the ReferenceGrant on the cluster.`,
      parameters: { externalGrantsAnnotation: EXTERNAL_GRANTS_ANNOTATION },
    },
    "exemption-reason": {
      remediation: `Write ${EXEMPTION_PREFIX}<rule-id>: "<why this object is an exception>" with an existing rule id.`,
    },
  },
};
export default mcpStackPlugin;
