import { BINDING_KINDS, isIgnoredName, RBAC_PARAMETERS, roleOfBinding } from "../rbac.ts";
import type { CheckRule } from "../types.ts";

const BUILTIN_CLUSTER_ROLES = ["cluster-admin", "admin", "edit", "view", "system:*"];

export default {
  id: "rbac-role-exists",
  title: "A binding must refer to a role in the set (or a built-in ClusterRole)",
  category: "rbac",
  severity: "warning",
  rationale: "A binding to a missing role grants nothing today and whatever a role created later under that name grants, unreviewed.",
  remediation: "Render the Role or ClusterRole with the binding, or fix roleRef.name.",
  kinds: BINDING_KINDS,
  parameters: {
    ignoreBindings: RBAC_PARAMETERS.ignoreBindings,
    builtinClusterRoles: { default: BUILTIN_CLUSTER_ROLES, description: "ClusterRoles (globs) every cluster has, so a binding may name them without defining them" },
  },
  check: (o, ctx) => {
    if (isIgnoredName(ctx.params.ignoreBindings, String(o.metadata?.name ?? ""))) return [];
    const bound = roleOfBinding(o, ctx.index);
    if (bound.role || (bound.kind === "ClusterRole" && isIgnoredName(ctx.params.builtinClusterRoles, bound.name))) return [];
    return [{ message: `binds ${bound.kind} "${bound.name}", which is not in the rendered set`, path: "/roleRef/name" }];
  },
} satisfies CheckRule;
