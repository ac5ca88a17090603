// The fast-time MCP server (a small Go binary): an example MCP server the gateway can federate,
// routed at settings.fastTime.path with the prefix replaced by / (scripts/stack/routes.ts).
import type { Settings } from "../settings/schema.ts";
import { imageRef } from "./meta.ts";
import {
  hardenedContainer,
  hardenedDeployment,
  httpGet,
  podDisruptionBudget,
  service,
  serviceAccount,
  replicatedSpread,
} from "./shapes.ts";
import { workloadPolicy } from "./network.ts";
import type { StackObject } from "./types.ts";
import { FAST_TIME, fastTimeWorkload } from "./workloads.ts";

const SOURCE = "scripts/stack/fast-time.ts";

export function fastTime(s: Settings): StackObject[] {
  if (!s.fastTime.enabled) return [];
  const w = fastTimeWorkload(s);
  const f = s.fastTime;
  const spread = replicatedSpread(s, w.name);
  const deployment = hardenedDeployment(w, s, {
    uid: FAST_TIME.uid,
    replicas: f.replicas,
    pod: {
      containers: [
        hardenedContainer({
          name: "fast-time-server",
          image: imageRef(f.image),
          pullPolicy: f.image.pullPolicy,
          args: ["-transport=dual", "-listen=0.0.0.0", `-port=${FAST_TIME.port}`, "-log-level=info"],
          ports: [{ name: "http", containerPort: FAST_TIME.port, protocol: "TCP" }],
          readinessProbe: httpGet("/health", "http", { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
          livenessProbe: httpGet("/health", "http", { periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 }),
          resources: f.resources,
        }),
      ],
      ...(spread.length ? { topologySpreadConstraints: spread } : {}),
    },
  });
  const objects: StackObject[] = [
    { object: serviceAccount(w, s), source: SOURCE },
    { object: deployment, source: SOURCE },
    { object: service(w, s, [{ name: "http", port: 80, targetPort: "http" }]), source: SOURCE },
    { object: workloadPolicy(w, s), source: SOURCE },
  ];
  // Replicated like the gateway, so protected from voluntary disruptions like the gateway.
  if (f.replicas > 1 && s.gateway.pdb.enabled) objects.push({ object: podDisruptionBudget(w, s, 1), source: SOURCE });
  return objects;
}
