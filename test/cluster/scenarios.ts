// Clusters the stand-in kubectl plays: a healthy one with the stack installed, and broken variants
// (each a few rules placed in front of the healthy ones).
import { SECRETS } from "../../scripts/stack/credentials.ts";
import type { Rule } from "./fake-kubectl.ts";
import { HTTPROUTE_HEALTH, INGRESS_HEALTH } from "../../scripts/stack/argocd-health.ts";

const ready = (type: string, extra: object = {}) => ({ conditions: [{ type, status: "True", ...extra }] });
const NS = "[a-z0-9-]+";

export const versionJson = (minor: string, git: string) => ({
  clientVersion: { major: "1", minor: "33", gitVersion: "v1.33.1" },
  serverVersion: { major: "1", minor, gitVersion: git },
});

export function healthy(): Rule[] {
  const secrets: Rule[] = Object.values(SECRETS).map((s) => ({
    match: `^get secret ${s.name} -n ${NS} -o json$`,
    json: { kind: "Secret", metadata: { name: s.name }, data: Object.fromEntries(Object.keys(s.keys).map((k) => [k, "eA=="])) },
  }));
  return [
    { match: "^config current-context$", stdout: "kind-test\n" },
    { match: "^version -o json$", json: versionJson("31", "v1.31.2") },
    {
      match: "^get storageclass -o json$",
      json: {
        items: [
          { metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }, provisioner: "rancher.io/local-path" },
        ],
      },
    },
    // eks renders its gp3 class; the EBS CSI driver that provisions it is installed.
    { match: "^get csidriver ebs.csi.aws.com -o json$", json: { metadata: { name: "ebs.csi.aws.com" } } },
    { match: `^get secret mcp-gateway-tls -n ${NS} -o json$`, json: { type: "kubernetes.io/tls", data: { "tls.crt": "eA==", "tls.key": "eA==" } } },
    { match: "^get configmap argocd-cm -n argocd -o json$", json: { data: { [INGRESS_HEALTH.key]: INGRESS_HEALTH.lua, [HTTPROUTE_HEALTH.key]: HTTPROUTE_HEALTH.lua } } },
    { match: "^get ingressclass nginx -o json$", json: { metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } } },
    { match: "^get ingressclass alb -o json$", json: { metadata: { name: "alb" }, spec: { controller: "ingress.k8s.aws/alb" } } },
    {
      match: "^get pods -A -l app.kubernetes.io/name=(ingress-nginx|aws-load-balancer-controller) -o json$",
      json: { items: [{ metadata: { name: "controller-abc", namespace: "ingress" }, status: { phase: "Running", ...ready("Ready") } }] },
    },
    { match: "^get apiservice v1beta1.metrics.k8s.io -o json$", json: { status: ready("Available") } },
    { match: "^get customresourcedefinition \\S+ -o json$", json: { status: ready("Established") } },
    { match: "^get clustersecretstore aws-secrets-manager -o json$", json: { status: ready("Ready") } },
    {
      match: `^get namespace ${NS} -o json$`,
      json: { metadata: { name: "mcp", labels: { "pod-security.kubernetes.io/enforce": "restricted" } }, status: { phase: "Active" } },
    },
    ...secrets,
    ...["postgres", "redis"].map((store) => ({
      match: `^get persistentvolume mcp-${store}-data -o json$`,
      json: { spec: { claimRef: { namespace: "mcp", name: `${store}-data`, uid: "u1" } }, status: { phase: "Bound" } },
    })),
    // verify: everything installed and healthy
    {
      match: `^get (deployment|statefulset) \\S+ -n ${NS} -o json$`,
      json: {
        metadata: { generation: 2 },
        spec: { replicas: 2 },
        status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2, currentRevision: "r1", updateRevision: "r1" },
      },
    },
    { match: `^get job \\S+ -n ${NS} -o json$`, json: { status: { succeeded: 1, ...ready("Complete") } } },
    {
      match: `^get horizontalpodautoscaler mcp-gateway -n ${NS} -o json$`,
      json: {
        spec: {
          minReplicas: 2,
          maxReplicas: 10,
          metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
            { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
          ],
        },
        status: {
          currentReplicas: 2,
          currentMetrics: [
            { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 12 } } },
            { type: "Resource", resource: { name: "memory", current: { averageUtilization: 41 } } },
          ],
          ...ready("ScalingActive"),
        },
      },
    },
    { match: `^get persistentvolumeclaim \\S+ -n ${NS} -o json$`, json: { spec: { volumeName: "pvc-123" }, status: { phase: "Bound", capacity: { storage: "5Gi" } } } },
    { match: `^get externalsecret \\S+ -n ${NS} -o json$`, json: { status: ready("Ready") } },
    // Loopback: verify probes /health there (no load balancer name to resolve; the Ingress tests' stand-in listens on it).
    { match: `^get ingress \\S+ -n ${NS} -o json$`, json: { status: { loadBalancer: { ingress: [{ ip: "127.0.0.1" }] } } } },
    // Gateway API: Envoy Gateway's class, the stack's own Gateway (minikube), the platform's (manual-pv), routes attached.
    {
      match: "^get gatewayclasses.gateway.networking.k8s.io eg -o json$",
      json: { metadata: { name: "eg" }, spec: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" }, status: ready("Accepted") },
    },
    {
      match: `^get gateways.gateway.networking.k8s.io mcp-stack -n ${NS} -o json$`,
      json: { spec: { gatewayClassName: "eg", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] }, status: ready("Programmed") },
    },
    {
      match: "^get gateways.gateway.networking.k8s.io platform-gateway -n gateway-system -o json$",
      json: {
        spec: { gatewayClassName: "eg", listeners: [{ name: "https", port: 443, protocol: "HTTPS", allowedRoutes: { namespaces: { from: "All" } } }] },
        status: ready("Programmed"),
      },
    },
    {
      match: `^get httproutes.gateway.networking.k8s.io \\S+ -n ${NS} -o json$`,
      json: {
        status: {
          parents: [
            { parentRef: { name: "mcp-stack", sectionName: "http" }, controllerName: "gateway.envoyproxy.io/gatewayclass-controller", conditions: [{ type: "Accepted", status: "True" }, { type: "ResolvedRefs", status: "True" }] },
            { parentRef: { name: "platform-gateway", namespace: "gateway-system", sectionName: "https" }, conditions: [{ type: "Accepted", status: "True" }, { type: "ResolvedRefs", status: "True" }] },
          ],
        },
      },
    },
    { match: "^get --raw /api/v1/namespaces/\\S+/services/http:mcp-gateway:80/proxy/health$", stdout: '{"status":"healthy"}' },
    { match: "^get --raw /api/v1/namespaces/\\S+/services/http:mcp-gateway:80/proxy/ready$", stdout: '{"status":"ready"}' },
  ];
}

const notFound = (what: string): Omit<Rule, "match"> => ({ stderr: `Error from server (NotFound): ${what} not found\n`, code: 1 });

/** Broken clusters: rules that win over the healthy ones. */
export const BROKEN: Record<string, Rule[]> = {
  oldServer: [{ match: "^version -o json$", json: versionJson("26", "v1.26.15") }],
  noStorageClass: [{ match: "^get storageclass -o json$", json: { items: [] } }],
  noIngress: [
    { match: "^get ingressclass \\S+ -o json$", ...notFound('ingressclasses.networking.k8s.io "nginx"') },
    { match: "^get pods -A -l app.kubernetes.io/name=\\S+ -o json$", json: { items: [] } },
  ],
  noGatewayClass: [{ match: "^get gatewayclasses.gateway.networking.k8s.io \\S+ -o json$", ...notFound('gatewayclasses.gateway.networking.k8s.io "eg"') }],
  noGatewayApiCrds: [{ match: "^get customresourcedefinition \\S+.gateway.networking.k8s.io -o json$", ...notFound("customresourcedefinitions") }],
  platformGatewaySameNamespace: [
    {
      match: "^get gateways.gateway.networking.k8s.io platform-gateway -n gateway-system -o json$",
      json: { spec: { gatewayClassName: "eg", listeners: [{ name: "https", port: 443, protocol: "HTTPS" }] }, status: ready("Programmed") },
    },
  ],
  platformGatewayMissing: [{ match: "^get gateways.gateway.networking.k8s.io platform-gateway -n gateway-system -o json$", ...notFound('gateways.gateway.networking.k8s.io "platform-gateway"') }],
  classOfAnotherController: [
    {
      match: "^get gatewayclasses.gateway.networking.k8s.io eg -o json$",
      json: { spec: { controllerName: "gateway.nginx.org/nginx-gateway-controller" }, status: ready("Accepted") },
    },
  ],
  routeNotAllowed: [
    {
      match: "^get httproutes.gateway.networking.k8s.io \\S+ -n \\S+ -o json$",
      json: {
        status: {
          parents: [
            {
              parentRef: { name: "platform-gateway", namespace: "gateway-system", sectionName: "https" },
              conditions: [{ type: "Accepted", status: "False", reason: "NotAllowedByListeners", message: "no listener admits this namespace" }, { type: "ResolvedRefs", status: "True" }],
            },
          ],
        },
      },
    },
  ],
  noMetricsServer: [{ match: "^get apiservice v1beta1.metrics.k8s.io -o json$", ...notFound('apiservices.apiregistration.k8s.io "v1beta1.metrics.k8s.io"') }],
  noCrds: [{ match: "^get customresourcedefinition \\S+ -o json$", ...notFound("customresourcedefinitions") }],
  failedJob: [
    {
      match: "^get job \\S+ -n \\S+ -o json$",
      json: { status: { failed: 4, conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" }] } },
    },
  ],
  pendingPvc: [{ match: "^get persistentvolumeclaim \\S+ -n \\S+ -o json$", json: { spec: {}, status: { phase: "Pending" } } }],
  hpaUnknown: [
    {
      match: "^get horizontalpodautoscaler mcp-gateway -n \\S+ -o json$",
      json: {
        spec: { metrics: [{ type: "Resource", resource: { name: "cpu", target: { averageUtilization: 80 } } }] },
        status: { conditions: [{ type: "ScalingActive", status: "False", reason: "FailedGetResourceMetric", message: "unable to get metrics for resource cpu" }] },
      },
    },
  ],
  crashLoop: [
    {
      match: "^get deployment mcp-gateway -n \\S+ -o json$",
      json: { metadata: { generation: 3 }, spec: { replicas: 2 }, status: { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 0 } },
    },
    {
      match: "^get pods -n \\S+ -l app.kubernetes.io/name=mcp-gateway",
      json: {
        items: [
          {
            metadata: { name: "mcp-gateway-abc" },
            status: {
              phase: "Running",
              containerStatuses: [{ name: "gateway", state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, reason: "Error" } } }],
            },
          },
        ],
      },
    },
  ],
  healthRefused: [
    {
      match: "^get --raw /api/v1/namespaces/\\S+/proxy/(health|ready)$",
      stderr: "Error from server (ServiceUnavailable): error trying to reach service: dial tcp 10.244.0.5:4444: connect: connection refused\n",
      code: 1,
    },
  ],
  unreachable: [
    { match: "^version -o json$", json: { clientVersion: { gitVersion: "v1.33.1" } }, stderr: "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n", code: 1 },
  ],
  foreignPv: [
    {
      match: "^get persistentvolume mcp-postgres-data -o json$",
      json: { spec: { claimRef: { namespace: "other", name: "db", uid: "u9" } }, status: { phase: "Bound" } },
    },
    { match: "^get persistentvolume mcp-redis-data -o json$", json: { spec: { claimRef: { namespace: "mcp", name: "redis-data", uid: "old" } }, status: { phase: "Released" } } },
  ],
  missingSecret: [{ match: "^get secret redis-credentials -n \\S+ -o json$", ...notFound('secrets "redis-credentials"') }],
  denied: [{ match: "^auth can-i create (deployments.apps|persistentvolumes)\\b", stdout: "no\n", code: 1 }],
  namespaceAbsent: [{ match: "^get namespace \\S+ -o json$", ...notFound('namespaces "mcp"') }],
  argoApp: [{ match: "^get application \\S+ -n argocd -o json$", json: { status: { sync: { status: "OutOfSync" }, health: { status: "Progressing" } } } }],
};

export const scenario = (...broken: (keyof typeof BROKEN)[]): Rule[] => [...broken.flatMap((b) => BROKEN[b]!), ...healthy()];
