// Redis 8: cache and session store. The password reaches redis-server through a config file written at
// start (never on a command line) and redis-cli through REDISCLI_AUTH. Optional AOF persistence.
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { Settings } from "../settings/schema.ts";
import { imageRef, metadata, workloadLabels, type Workload } from "./meta.ts";
import {
  claimName,
  dataVolume,
  execProbe,
  hardenedContainer,
  hardenedDeployment,
  ownedClaim,
  scratchDirs,
  secretEnv,
  service,
  serviceAccount,
} from "./shapes.ts";
import { workloadPolicy } from "./network.ts";
import { SECRETS } from "./credentials.ts";
import type { StackObject } from "./types.ts";
import { veleroPodAnnotations } from "./velero.ts";
import { header } from "../lib/generated.ts";
import { REDIS } from "./workloads.ts";

const SOURCE = "scripts/stack/redis.ts";
const CONF_DIR = "/usr/local/etc/redis";

export const redisWorkload = (s: Settings): Workload => ({
  name: REDIS.name,
  component: REDIS.component,
  version: s.redis.image.tag,
});

export function redisConf(s: Settings): string {
  const persistent = s.redis.persistence.enabled;
  return [
    header(SOURCE).trimEnd(),
    `port ${REDIS.port}`,
    "bind 0.0.0.0 -::*",
    "protected-mode yes",
    `maxclients ${s.redis.maxclients}`,
    "dir /data",
    ...(persistent
      ? [
          "appendonly yes",
          'appendfilename "appendonly.aof"',
          "appendfsync everysec",
          "auto-aof-rewrite-percentage 100",
          "auto-aof-rewrite-min-size 64mb",
          "save 900 1 300 10 60 10000",
        ]
      : ["appendonly no", 'save ""']),
    "# requirepass comes from the Secret, written to /tmp at start",
    "include /tmp/auth.conf",
    "",
  ].join("\n");
}

const start =
  'umask 077; printf \'requirepass "%s"\\n\' "$REDIS_PASSWORD" > /tmp/auth.conf; exec redis-server ' +
  `${CONF_DIR}/redis.conf`;
const ping = 'test "$(redis-cli -h 127.0.0.1 PING)" = PONG';

export function redis(s: Settings): StackObject[] {
  const w = redisWorkload(s);
  const r = s.redis;
  const scratch = scratchDirs({ tmp: "/tmp" });
  const data = ownedClaim(r.persistence) ? dataVolume(w, s, REDIS.claim, r.persistence) : undefined;
  const deployment = hardenedDeployment(w, s, {
    uid: REDIS.uid,
    replicas: 1,
    // One writer per volume: the old pod stops before the new one starts.
    strategy: { type: "Recreate" },
    podAnnotations: veleroPodAnnotations(s, "redis"),
    pod: {
      containers: [
        hardenedContainer({
          name: "redis",
          image: imageRef(r.image),
          pullPolicy: r.image.pullPolicy,
          command: ["/bin/sh", "-c", start],
          ports: [{ name: "redis", containerPort: REDIS.port, protocol: "TCP" }],
          env: [secretEnv("REDIS_PASSWORD", SECRETS.redis.name), secretEnv("REDISCLI_AUTH", SECRETS.redis.name, "REDIS_PASSWORD")],
          readinessProbe: execProbe(ping, { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 }),
          livenessProbe: execProbe(ping, { initialDelaySeconds: 10, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 }),
          volumeMounts: [
            { name: "data", mountPath: "/data" },
            { name: "config", mountPath: CONF_DIR, readOnly: true },
            ...scratch.mounts,
          ],
          resources: r.resources,
        }),
      ],
      volumes: [
        r.persistence.enabled
          ? { name: "data", persistentVolumeClaim: { claimName: claimName(REDIS.claim, r.persistence) } }
          : { name: "data", emptyDir: {} },
        { name: "config", configMap: { name: REDIS.config } },
        ...scratch.volumes,
      ],
    },
  });
  const objects: StackObject[] = [
    {
      object: new ConfigMap({ metadata: metadata(REDIS.config, workloadLabels(w, s), s), data: { "redis.conf": redisConf(s) } }),
      source: SOURCE,
      generator: "files",
    },
    { object: serviceAccount(w, s), source: SOURCE },
    { object: deployment, source: SOURCE },
    { object: service(w, s, [{ name: "redis", port: REDIS.port, targetPort: "redis" }]), source: SOURCE },
    { object: workloadPolicy(w, s), source: SOURCE },
  ];
  if (data) objects.push({ object: data.claim, source: SOURCE });
  if (data?.volume) objects.push({ object: data.volume, source: SOURCE });
  return objects;
}
