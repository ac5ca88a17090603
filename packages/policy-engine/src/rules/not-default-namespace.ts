import { WORKLOAD_KINDS } from "../helpers.ts";
import type { SchemaRule } from "../types.ts";

export default {
  id: "not-default-namespace",
  title: "Namespaced objects must name a namespace other than default",
  category: "metadata",
  severity: "warning",
  rationale: "Objects without a namespace land wherever the applying context points, and `default` mixes the stack with everything else and its policies.",
  remediation: "Set metadata.namespace (kustomize `namespace:` sets it for every object).",
  kinds: [
    ...WORKLOAD_KINDS, "Service", "ConfigMap", "Secret", "ServiceAccount", "PersistentVolumeClaim", "Ingress", "NetworkPolicy",
    "PodDisruptionBudget", "HorizontalPodAutoscaler", "Role", "RoleBinding",
  ],
  message: "metadata.namespace must be set and must not be \"default\"",
  schema: {
    type: "object",
    required: ["metadata"],
    properties: {
      metadata: {
        type: "object",
        required: ["namespace"],
        properties: { namespace: { type: "string", minLength: 1, not: { const: "default" } } },
      },
    },
  },
} satisfies SchemaRule;
