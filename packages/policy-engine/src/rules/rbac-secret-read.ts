import { checkAccess, RBAC_KINDS, RBAC_PARAMETERS } from "../rbac.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "rbac-secret-read",
  title: "No role may read Secrets",
  category: "rbac",
  severity: "warning",
  rationale: "get, list or watch on Secrets discloses every credential in the namespace (or the cluster, for a ClusterRole).",
  remediation: "Mount the Secrets a workload needs instead of reading them through the API; if a controller must, restrict the rule with resourceNames (such rules are not reported).",
  kinds: RBAC_KINDS,
  parameters: RBAC_PARAMETERS,
  check: (o, ctx) => checkAccess(o, ctx, { apiGroups: ["", "*"], resources: ["secrets"], verbs: ["get", "list", "watch"], skipNamed: true }, "reads Secrets"),
} satisfies CheckRule;
