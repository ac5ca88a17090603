// The analyses' rule ids with what each checks, why, and how to fix it (SARIF rule table, README). They
// take the policy engine's rule shape so that its report formats render them; the checking itself is done
// by the analyses over the whole environment, not object by object, so `check` finds nothing by itself.
import type { CheckRule, Severity } from "@mcp-stack/policy-engine";

const rule = (id: string, category: string, severity: Severity, title: string, rationale: string, remediation: string): CheckRule => ({ id, category, severity, title, rationale, remediation, check: () => [] });

export const RULES: readonly CheckRule[] = [
  rule("first-sync-never-healthy", "first-sync", "error", "Every object becomes healthy on the first Argo CD sync",
    "Argo CD applies a wave only when every object of the previous one is healthy by its health rules; an object that can never be healthy stops the sync there, and PostSync hooks never run.",
    "Give the object what it waits for (cluster: settings say what exists), move it to a wave after what it needs, or give it a health customisation that matches the controller."),
  rule("first-sync-later-wave", "first-sync", "error", "Nothing needs an object of a later wave",
    "An object that needs something applied in a later wave (or a Secret only a pod of a later wave can mint) waits for it while the later wave waits for the object: a deadlock on the first install.",
    "Move the reference or the object so that what is needed comes first."),
  rule("first-sync-crd-dry-run", "first-sync", "error", "Objects of CRD kinds tolerate a missing CRD",
    "Argo CD dry-runs every object before it applies any; one object of a kind whose CRD is missing fails the dry run and nothing at all is applied.",
    "Annotate objects of CRD kinds with argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true."),
  rule("apply-crash-loop", "kubectl-apply", "warning", "Under kubectl apply no container crash-loops while it waits",
    "kubectl apply creates everything at once; a container that exits while a dependency is not up yet crash-loops, and the kubelet's back-off (up to 5 minutes) delays it further once the dependency is up.",
    "Wait for the dependency in an init container (or in the application), or document the delay."),
  rule("image-user", "wiring", "error", "Pods run as the user the image's files belong to",
    "An image whose files are readable only by its own user or group fails at start under another UID/GID.",
    "Run as the image's UID, or give the pod the group that owns the files."),
  rule("image-writable-path", "wiring", "error", "Every path the image writes is writable",
    "With a read-only root filesystem, each path the entrypoint or application writes needs a volume.",
    "Mount an emptyDir (or point the application's setting to a mounted path)."),
  rule("image-port", "wiring", "error", "Declared container ports are the ports the application listens on",
    "Services and probes target the declared port; a process listening elsewhere is never ready.",
    "Set the application's port setting to the declared containerPort."),
  rule("image-address", "wiring", "warning", "The application binds an address that works in a pod",
    "A default bind address the pod cannot use (e.g. an IPv6 wildcard on an IPv4-only cluster) makes the process exit.",
    "Set the listen address explicitly."),
  rule("db-connection-budget", "wiring", "error", "PostgreSQL admits every connection its clients may open",
    "Gateway pods × workers × (pool + overflow) plus the other clients must stay within max_connections, or requests fail under load with 'too many clients'.",
    "Size the pool and the server from the same settings, or put a pooler in between."),
  rule("flow-blocked", "wiring", "error", "NetworkPolicies allow every flow the applications need",
    "A flow the application needs (its data stores, DNS, MCP servers, the ingress data path, Prometheus) that a NetworkPolicy drops breaks the feature silently.",
    "Allow the flow in both the source's egress and the destination's ingress policy."),
  rule("flow-ssrf", "wiring", "error", "The gateway's SSRF settings allow the MCP servers it must reach",
    "The gateway refuses to connect to private addresses unless SSRF_ALLOW_PRIVATE_NETWORKS or SSRF_ALLOWED_NETWORKS allow them (mcpgateway/config.py:718-728), so in-cluster MCP servers cannot be registered.",
    "Allow exactly the in-cluster ranges the servers live in (SSRF_ALLOWED_NETWORKS) and keep the NetworkPolicy egress to match."),
  rule("flow-unneeded", "wiring", "warning", "NetworkPolicies allow nothing that nothing needs",
    "A policy rule that no application flow uses widens the blast radius for nothing.",
    "Remove the rule, or narrow it to the peer that needs it."),
  rule("cookie-secure-http", "wiring", "error", "Auth cookies can be stored where the UI is served",
    "ENVIRONMENT=production or SECURE_COOKIES=true makes the gateway set Secure on its auth cookies (mcpgateway/utils/security_cookies.py:86); browsers drop Secure cookies on plain http (except localhost), so login is impossible.",
    "Serve the UI over TLS, or set ENVIRONMENT to development and SECURE_COOKIES=false for a plain-http environment."),
  rule("adopted-claim-kept", "adoption", "warning", "Claims taken over from a Helm release survive helm uninstall",
    "helm uninstall deletes the chart's claims (and their data) unless they carry helm.sh/resource-policy: keep; the environment mounts such a claim (persistence.existingClaim) and nothing confirms the annotation (migrateFromHelm.claimsKept).",
    "Run step 1 of the cutover runbook (npm run notes -- <env> --migrate-from-helm RELEASE), then set migrateFromHelm.claimsKept: true."),
  rule("tls-secret-missing", "first-sync", "warning", "The TLS Secret an Ingress, a Gateway listener or a ReferenceGrant names exists",
    "ingress-nginx serves its own self-signed certificate when the Ingress's TLS Secret is missing; a Gateway listener without its certificate is not programmed (ResolvedRefs False), and neither is a platform Gateway's listener that terminates with the stack's Secret.",
    "Render the Secret (cert-manager, ExternalSecret) or create it before the first sync (cluster.existingSecrets)."),
];

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));
export const ruleById = (id: string): CheckRule => RULES.find((r) => r.id === id)!;
