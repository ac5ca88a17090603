// The metrics token, minted in the cluster (monitoring on, credentials not local): the ServiceMonitor's bearer
// JWT must be signed with the gateway's JWT_SECRET_KEY, which the cluster already holds in mcp-gateway-credentials.
// A Job mints it with the gateway's own tool (mcpgateway/utils/create_jwt_token.py) and writes Secret
// mcp-gateway-metrics-token through the API server (server-side apply: one request creates or updates it).
//
// Ordering: an Argo CD Sync hook in the migration wave (0), after the credentials (wave -2) and before the
// ServiceMonitor that reads the Secret (wave 1): nothing waits on a later wave, and nothing has to be minted by
// hand from a gateway that does not exist yet. It runs on every sync, so rotating JWT_SECRET_KEY and syncing
// re-mints the token. Under plain `kubectl apply` it runs once right away (it needs only the credentials).
//
// Least privilege: its own ServiceAccount, a Role that may create Secrets and get/patch only this one, a
// projected service-account token valid 10 minutes (the pod spec keeps automountServiceAccountToken false), and a
// NetworkPolicy that reaches the API server only (settings.network.apiServer).
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { Job } from "kubernetes-models/batch/v1/Job";
import type { Settings } from "../settings/schema.ts";
import { imageRef, metadata, workloadLabels, type Workload } from "./meta.ts";
import { hardenedContainer, hardenedJob, literalEnv, nameByContent, scratchDirs, secretEnv, serviceAccount } from "./shapes.ts";
import { workloadPolicy } from "./network.ts";
import { metricsTokenMintedInCluster, SECRETS } from "./credentials.ts";
import { gatewayConfig, gatewayEnvFrom } from "./gateway.ts";
import { SYNC_HOOK_ANNOTATIONS } from "./migration.ts";
import type { StackObject } from "./types.ts";
import { GATEWAY, METRICS_TOKEN } from "./workloads.ts";

const SOURCE = "scripts/stack/metrics-token.ts";
export { METRICS_TOKEN };
/** Tells readers of the manifests (and the deployability analysis) which object a Job creates. */
export const CREATES_ANNOTATION = "mcp-stack.dev/creates";
/** A year, in minutes (create_jwt_token --exp takes minutes); every sync mints a new one. */
const TOKEN_MINUTES = 525600;
const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Server-side apply of the Secret with the pod's projected token; prints what it did, never the token. */
const APPLY_SECRET = `
import base64, json, os, ssl, urllib.request
sa = os.environ["SA_DIR"]
token = open(sa + "/token").read().strip()
namespace = open(sa + "/namespace").read().strip()
host = os.environ["KUBERNETES_SERVICE_HOST"]
host = "[" + host + "]" if ":" in host else host
name = os.environ["SECRET_NAME"]
body = {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": name, "namespace": namespace, "labels": json.loads(os.environ["SECRET_LABELS"])},
        "data": {"token": base64.b64encode(os.environ["TOKEN"].encode()).decode()}}
url = f"https://{host}:{os.environ['KUBERNETES_SERVICE_PORT']}/api/v1/namespaces/{namespace}/secrets/{name}?fieldManager=mcp-metrics-token&force=true"
req = urllib.request.Request(url, data=json.dumps(body).encode(), method="PATCH",
                             headers={"Authorization": "Bearer " + token, "Content-Type": "application/apply-patch+yaml"})
with urllib.request.urlopen(req, context=ssl.create_default_context(cafile=sa + "/ca.crt"), timeout=30) as r:
    print(f"applied Secret {namespace}/{name}: HTTP {r.status}", flush=True)
`.trim();

const MINT_AND_APPLY =
  "set -e; " +
  `TOKEN="$(python3 -m mcpgateway.utils.create_jwt_token --username "$PLATFORM_ADMIN_EMAIL" --exp ${TOKEN_MINUTES} --secret "$JWT_SECRET_KEY" | tail -n 1)"; ` +
  'export TOKEN; exec python3 -c "$APPLY_SCRIPT"';

export const metricsTokenWorkload = (s: Settings): Workload => ({
  name: METRICS_TOKEN.name,
  component: METRICS_TOKEN.component,
  version: s.gateway.image.tag,
});

function mintJob(s: Settings, w: Workload): Job {
  const tmp = scratchDirs({ tmp: "/tmp" });
  const job = hardenedJob(w, s, {
    name: METRICS_TOKEN.name,
    uid: GATEWAY.uid,
    annotations: { ...SYNC_HOOK_ANNOTATIONS, [CREATES_ANNOTATION]: `Secret/${SECRETS.metricsToken.name}` },
    backoffLimit: 3,
    activeDeadlineSeconds: 300,
    ttlSecondsAfterFinished: 600,
    pod: {
      containers: [
        hardenedContainer({
          name: "mint",
          image: imageRef(s.gateway.image),
          pullPolicy: s.gateway.image.pullPolicy,
          command: ["/bin/sh", "-c", MINT_AND_APPLY],
          // The token tool loads the gateway's settings (which refuse weak secrets): same env as the gateway.
          envFrom: gatewayEnvFrom(),
          env: [
            secretEnv("JWT_SECRET_KEY", SECRETS.gateway.name),
            ...literalEnv({
              SA_DIR,
              SECRET_NAME: SECRETS.metricsToken.name,
              SECRET_LABELS: JSON.stringify(workloadLabels(w, s)),
              APPLY_SCRIPT: APPLY_SECRET,
              PYTHONDONTWRITEBYTECODE: "1",
            }),
          ],
          volumeMounts: [...tmp.mounts, { name: "api-token", mountPath: SA_DIR, readOnly: true }],
          resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        }),
      ],
      volumes: [
        ...tmp.volumes,
        {
          name: "api-token",
          projected: {
            sources: [
              { serviceAccountToken: { path: "token", expirationSeconds: 600 } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
            ],
          },
        },
      ],
    },
  });
  return nameByContent(job, METRICS_TOKEN.name, s.gateway.image.tag, [gatewayConfig(s)]);
}

export function metricsToken(s: Settings): StackObject[] {
  if (!metricsTokenMintedInCluster(s)) return [];
  const w = metricsTokenWorkload(s);
  const labels = workloadLabels(w, s);
  const role = new Role({
    metadata: metadata(w.name, labels, s),
    rules: [
      // create cannot be narrowed to a name; get and patch can.
      { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
      { apiGroups: [""], resources: ["secrets"], resourceNames: [SECRETS.metricsToken.name], verbs: ["get", "patch"] },
    ],
  });
  const binding = new RoleBinding({
    metadata: metadata(w.name, labels, s),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: w.name },
    subjects: [{ kind: "ServiceAccount", name: w.name, namespace: s.namespace }],
  });
  return [
    serviceAccount(w, s),
    role,
    binding,
    mintJob(s, w),
    workloadPolicy(w, s),
  ].map((object) => ({ object, source: SOURCE, component: "monitoring" as const }));
}
