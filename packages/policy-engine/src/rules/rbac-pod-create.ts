import { checkAccess, RBAC_KINDS, RBAC_PARAMETERS } from "../rbac.ts";
import type { CheckRule } from "../types.ts";

/** Creating any of these creates pods, with whatever ServiceAccount and mounts the creator picks. */
const POD_CREATING = ["pods", "deployments", "statefulsets", "daemonsets", "replicasets", "replicationcontrollers", "jobs", "cronjobs"];

export default {
  id: "rbac-pod-create",
  title: "No role may create pods or pod controllers",
  category: "rbac",
  severity: "warning",
  rationale: "Whoever can create a pod can run it as any ServiceAccount of the namespace and mount its Secrets: privilege escalation in one step.",
  remediation: "Leave pod creation to the delivery tool (Argo CD); grant create on pods or controllers only where a controller needs it.",
  kinds: RBAC_KINDS,
  parameters: RBAC_PARAMETERS,
  check: (o, ctx) => checkAccess(o, ctx, { apiGroups: ["", "*", "apps", "batch"], resources: POD_CREATING, verbs: ["create"] }, "creates pods"),
} satisfies CheckRule;
