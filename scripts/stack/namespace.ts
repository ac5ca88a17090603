// The namespace, labelled so the API server enforces Pod Security "restricted" on every pod in it.
import { Namespace } from "kubernetes-models/v1/Namespace";
import type { Settings } from "../settings/schema.ts";
import { stackLabels } from "./meta.ts";
import { KEEP_ON_PRUNE_AND_DELETE } from "./shapes.ts";
import type { StackObject } from "./types.ts";

export const POD_SECURITY_LABELS = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/warn": "restricted",
} as const;

/**
 * The AWS Load Balancer Controller injects a readiness gate into pods behind an ip-target ALB in namespaces with this
 * label: a rolling update waits until the new pod is a healthy target before the old one goes, so no request is dropped.
 */
export const ALB_READINESS_GATE_LABEL = { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } as const;

export function namespace(s: Settings): StackObject[] {
  const alb = s.ingress.enabled && s.ingress.controller === "aws-load-balancer";
  const ns = new Namespace({
    metadata: {
      name: s.namespace,
      labels: { ...stackLabels(s, "namespace"), ...POD_SECURITY_LABELS, ...(alb ? ALB_READINESS_GATE_LABEL : {}) },
      // Deleting the namespace would delete the data volumes in it: Argo CD keeps it (see shapes.ts).
      annotations: { ...KEEP_ON_PRUNE_AND_DELETE, ...s.annotations },
    },
  });
  return [{ object: ns, source: "scripts/stack/namespace.ts" }];
}
