import { checkAccess, RBAC_KINDS, RBAC_PARAMETERS } from "../rbac.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "rbac-pod-exec-attach",
  title: "No role may allow pods/exec or pods/attach",
  category: "rbac",
  severity: "error",
  rationale: "exec and attach give a shell in running pods: every Secret, token and file the pod holds, and its network identity.",
  remediation: "Remove pods/exec and pods/attach (and * resources) from the role; grant them only to break-glass roles outside the rendered set.",
  kinds: RBAC_KINDS,
  parameters: RBAC_PARAMETERS,
  check: (o, ctx) => checkAccess(o, ctx, { apiGroups: ["", "*"], resources: ["pods/exec", "pods/attach"], verbs: ["create", "get"] }, "shell access to pods"),
} satisfies CheckRule;
