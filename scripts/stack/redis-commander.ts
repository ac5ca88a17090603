// Redis Commander (Kustomize Component "redis-commander"): a web UI for Redis, reached with kubectl port-forward.
// The 0.9.0 image (joeferner/redis-commander Dockerfile:24-28,37) creates user redis as UID 10000 in group root,
// owns /redis-commander/config as that user and makes its *.json files ug+r,o-rwx: any other UID cannot read
// them and node-config throws EACCES at start. So the pod runs as exactly UID 10000.
import type { Settings } from "../settings/schema.ts";
import { type Workload } from "./meta.ts";
import {
  hardenedContainer,
  hardenedDeployment,
  httpGet,
  literalEnv,
  scratchDirs,
  secretEnv,
  service,
  serviceAccount,
} from "./shapes.ts";
import { admittingPolicy, workloadPolicy } from "./network.ts";
import { SECRETS } from "./credentials.ts";
import { redisWorkload } from "./redis.ts";
import type { StackObject } from "./types.ts";
import { REDIS, REDIS_COMMANDER } from "./workloads.ts";

const SOURCE = "scripts/stack/redis-commander.ts";

export function redisCommander(s: Settings): StackObject[] {
  if (!s.adminUIs.redisCommander) return [];
  const w: Workload = { name: REDIS_COMMANDER.name, component: REDIS_COMMANDER.component, version: REDIS_COMMANDER.tag };
  const scratch = scratchDirs({ tmp: "/tmp" });
  const deployment = hardenedDeployment(w, s, {
    uid: REDIS_COMMANDER.uid,
    replicas: 1,
    pod: {
      containers: [
        hardenedContainer({
          name: "redis-commander",
          image: `${REDIS_COMMANDER.image}:${REDIS_COMMANDER.tag}`,
          pullPolicy: "IfNotPresent",
          ports: [{ name: "http", containerPort: REDIS_COMMANDER.port, protocol: "TCP" }],
          env: [
            // HOME=/tmp: docker/entrypoint.sh:11 writes $HOME/config/local-production.json, and the root is read-only.
            ...literalEnv({ REDIS_HOST: REDIS.name, REDIS_PORT: String(REDIS.port), PORT: String(REDIS_COMMANDER.port), HOME: "/tmp" }),
            secretEnv("REDIS_PASSWORD", SECRETS.redis.name),
          ],
          readinessProbe: httpGet("/", "http", { initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }),
          livenessProbe: httpGet("/favicon.png", "http", { initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 5 }),
          volumeMounts: scratch.mounts,
          resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
        }),
      ],
      volumes: scratch.volumes,
    },
  });
  return [
    { object: serviceAccount(w, s), source: SOURCE, component: "redis-commander" },
    { object: deployment, source: SOURCE, component: "redis-commander" },
    { object: service(w, s, [{ name: "http", port: REDIS_COMMANDER.port, targetPort: "http" }]), source: SOURCE, component: "redis-commander" },
    { object: workloadPolicy(w, s), source: SOURCE, component: "redis-commander" },
    { object: admittingPolicy(REDIS_COMMANDER.name, redisWorkload(s), s), source: SOURCE, component: "redis-commander" },
  ];
}
