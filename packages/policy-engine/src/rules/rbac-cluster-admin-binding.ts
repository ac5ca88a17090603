import { asArray, asRecord } from "../helpers.ts";
import { BINDING_KINDS, isIgnoredName, RBAC_PARAMETERS, roleOfBinding } from "../rbac.ts";
import type { CheckRule } from "../types.ts";

const ALL_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];

/** A rule granting every verb (by "*" or by listing them all) on every resource in every API group. */
function grantsEverything(rule: Record<string, unknown>): boolean {
  const has = (field: string, v: string) => asArray(rule[field]).includes(v);
  const verbs = asArray(rule.verbs);
  return has("apiGroups", "*") && has("resources", "*") && (verbs.includes("*") || ALL_VERBS.every((v) => verbs.includes(v)));
}

export default {
  id: "rbac-cluster-admin-binding",
  title: "Nothing may be bound to cluster-admin or an equivalent role",
  category: "rbac",
  severity: "error",
  rationale: "cluster-admin (or any role granting * on * in *) is full control of the cluster; a compromised subject takes everything.",
  remediation: "Bind a role that lists the permissions the subject needs.",
  kinds: BINDING_KINDS,
  parameters: { ignoreBindings: RBAC_PARAMETERS.ignoreBindings },
  check: (o, ctx) => {
    if (isIgnoredName(ctx.params.ignoreBindings, String(o.metadata?.name ?? ""))) return [];
    const bound = roleOfBinding(o, ctx.index);
    if (bound.kind === "ClusterRole" && bound.name === "cluster-admin") return [{ message: "binds the cluster-admin ClusterRole", path: "/roleRef/name" }];
    // A role that grants every verb on every resource in every group is cluster-admin under another name.
    return bound.role && asArray(bound.role.rules).some((r) => grantsEverything(asRecord(r)))
      ? [{ message: `binds ${bound.kind} "${bound.name}", which grants * on * in every API group`, path: "/roleRef" }] : [];
  },
} satisfies CheckRule;
