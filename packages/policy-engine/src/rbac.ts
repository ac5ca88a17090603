// RBAC: which rules of a Role/ClusterRole grant a verb on a resource (wildcards included), and which role a
// binding refers to, in the rendered set or among the ClusterRoles every cluster ships.
import { asArray, asRecord, asString, kindOf, nameOf, namespaceOf } from "./helpers.ts";
import type { ObjectIndex } from "./object-index.ts";
import type { K8sObject, RuleContext, Violation } from "./types.ts";

export const ROLE_KINDS = ["Role", "ClusterRole"] as const;
export const BINDING_KINDS = ["RoleBinding", "ClusterRoleBinding"] as const;
export const RBAC_KINDS = [...ROLE_KINDS, ...BINDING_KINDS] as const;

/** What a grant looks for: any of these API groups, resources and verbs ("*" in a rule matches anything). */
export interface Access {
  apiGroups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
  /** A rule restricted by resourceNames grants access to those objects only: not reported. */
  skipNamed?: boolean;
}

const strings = (v: unknown) => asArray(v).filter((x): x is string => typeof x === "string");
const overlaps = (granted: string[], wanted: readonly string[]) => granted.includes("*") || granted.some((g) => wanted.includes(g));

/** The index of each rule of a role that grants the access, with what it grants. */
export function grantsOf(role: K8sObject, access: Access): { index: number; verbs: string[]; resources: string[] }[] {
  const out: { index: number; verbs: string[]; resources: string[] }[] = [];
  asArray(role.rules).forEach((raw, index) => {
    const rule = asRecord(raw);
    const apiGroups = strings(rule.apiGroups);
    const resources = strings(rule.resources);
    const verbs = strings(rule.verbs);
    if (access.skipNamed && strings(rule.resourceNames).length > 0) return;
    if (overlaps(apiGroups, access.apiGroups) && overlaps(resources, access.resources) && overlaps(verbs, access.verbs)) {
      out.push({ index, verbs: verbs.filter((v) => v === "*" || access.verbs.includes(v)), resources: resources.filter((r) => r === "*" || access.resources.includes(r)) });
    }
  });
  return out;
}

/** Built-in ClusterRoles a binding may name without defining them, and whether they grant an access. */
const BUILTIN: Record<string, (a: Access) => boolean> = {
  "cluster-admin": () => true,
  // admin and edit allow exec/attach, Secrets and creating pods and controllers in their namespace.
  admin: (a) => !a.resources.every((r) => r.startsWith("roles") || r.startsWith("rolebindings")),
  edit: (a) => !a.resources.every((r) => r.startsWith("roles") || r.startsWith("rolebindings")),
  view: () => false,
};

export interface BoundRole {
  /** The role in the rendered set, if there. */
  role?: K8sObject;
  kind: string;
  name: string;
}

export function roleOfBinding(binding: K8sObject, index: ObjectIndex): BoundRole {
  const ref = asRecord(binding.roleRef);
  const kind = asString(ref.kind) ?? "";
  const name = asString(ref.name) ?? "";
  // A ClusterRole is cluster-scoped: a stray metadata.namespace on it does not matter.
  const role =
    kind === "ClusterRole"
      ? (index.find("ClusterRole", "", name) ?? index.ofKind("ClusterRole").find((r) => nameOf(r) === name))
      : index.find("Role", namespaceOf(binding), name);
  return { role, kind, name };
}

const globCache = new Map<string, RegExp>();
const globToRegExp = (glob: string) => {
  let re = globCache.get(glob);
  if (!re) globCache.set(glob, (re = globToRegExpUncached(glob)));
  return re;
};
const globToRegExpUncached = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);

/** Is `name` matched by one of the globs of a list parameter? */
export function isIgnoredName(globs: unknown, name: string): boolean {
  return strings(globs).some((g) => globToRegExp(g).test(name));
}

/**
 * The shared check of the RBAC rules: a role that grants the access (unless its name is ignored), and a binding
 * that grants it through its role (defined in the set or built in). `report` chooses what is reported.
 */
export function checkAccess(o: K8sObject, ctx: RuleContext, access: Access, what: string): Violation[] {
  const report = asString(ctx.params.report) ?? "roles-and-bindings";
  const kind = kindOf(o);
  if (kind === "Role" || kind === "ClusterRole") {
    if (report === "bindings" || isIgnoredName(ctx.params.ignoreRoles, nameOf(o))) return [];
    return grantsOf(o, access).map((g) => ({ message: `grants [${g.verbs.join(", ")}] on [${g.resources.join(", ")}]: ${what}`, path: `/rules/${g.index}` }));
  }
  if (isIgnoredName(ctx.params.ignoreBindings, nameOf(o))) return [];
  const bound = roleOfBinding(o, ctx.index);
  if (bound.role) {
    const grants = grantsOf(bound.role, access);
    if (grants.length === 0) return [];
    const g = grants[0]!;
    return [{ message: `binds ${bound.kind} "${bound.name}", which grants [${g.verbs.join(", ")}] on [${g.resources.join(", ")}]: ${what}`, path: "/roleRef" }];
  }
  const builtin = bound.kind === "ClusterRole" ? BUILTIN[bound.name] : undefined;
  return builtin?.(access) ? [{ message: `binds the built-in ClusterRole "${bound.name}": ${what}`, path: "/roleRef/name" }] : [];
}

/** The parameters every RBAC access rule takes. */
export const RBAC_PARAMETERS = {
  report: {
    default: "roles-and-bindings",
    description: "what is reported: roles-and-bindings (the grant where it is defined and where it is bound) or bindings",
    peers: "Polaris checks roles and bindings; kube-linter reports bindings only",
  },
  ignoreRoles: {
    default: ["admin", "edit", "view", "cluster-admin", "system:*"],
    description: "role names (globs) whose definitions are not reported: the ClusterRoles Kubernetes ships",
    peers: "Polaris also ignores gce:podsecuritypolicy:calico-sa",
  },
  ignoreBindings: {
    default: ["system:*"],
    description: "binding names (globs) not reported: bindings the control plane manages",
    peers: "Polaris also ignores gce:podsecuritypolicy:calico-sa",
  },
} as const;
