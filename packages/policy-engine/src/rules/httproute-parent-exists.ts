import { asArray, asRecord, asString, namespaceOf } from "../helpers.ts";
import { declaredExternalParents, DEFAULT_EXTERNAL_PARENTS_ANNOTATION, gatewayParents, selectedListeners } from "../routes.ts";
import type { CheckRule, Violation } from "../types.ts";

/** Does a listener's allowedRoutes admit an HTTPRoute from this namespace? (default: Same namespace, HTTP routes) */
function admits(listener: Record<string, unknown>, gatewayNamespace: string, routeNamespace: string): boolean {
  const allowed = asRecord(listener.allowedRoutes);
  const from = asString(asRecord(allowed.namespaces).from) ?? "Same";
  const kinds = asArray(allowed.kinds).map(asRecord);
  if (kinds.length && !kinds.some((k) => k.kind === "HTTPRoute")) return false;
  if (from === "All") return true;
  if (from === "Same") return gatewayNamespace === routeNamespace;
  return true; // Selector: namespace labels are not in the rendered set; preflight checks it on the cluster
}

export default {
  id: "httproute-parent-exists",
  title: "HTTPRoutes must attach to a rendered Gateway listener or one declared external",
  category: "network",
  severity: "error",
  rationale:
    "A parentRef to a Gateway that does not exist, a listener it does not have, or one whose allowedRoutes refuses the route's " +
    "namespace leaves the route unattached (Accepted False): nothing is routed and nothing says so in the manifests.",
  remediation:
    "Render the Gateway with the listener, or declare a Gateway outside the manifests as external: the annotation " +
    "externalParentsAnnotation names, with the value <namespace>/<name>[,<namespace>/<name>...].",
  parameters: {
    externalParentsAnnotation: {
      default: DEFAULT_EXTERNAL_PARENTS_ANNOTATION,
      description: "annotation on an HTTPRoute listing the Gateways (<namespace>/<name>, comma-separated) it attaches to outside the manifests",
    },
  },
  kinds: ["HTTPRoute"],
  check: (o, ctx) => {
    const external = declaredExternalParents(o, String(ctx.params.externalParentsAnnotation ?? DEFAULT_EXTERNAL_PARENTS_ANNOTATION));
    const refs = gatewayParents(o);
    if (asArray(asRecord(o.spec).parentRefs).length === 0) return [{ message: "HTTPRoute has no parentRefs: it attaches to nothing", path: "/spec" }];
    return refs.flatMap((ref): Violation[] => {
      const gateway = ctx.index.find("Gateway", ref.namespace, ref.name);
      if (!gateway) {
        return external.has(`${ref.namespace}/${ref.name}`) ? [] : [{ message: `Gateway ${ref.namespace}/${ref.name} is neither rendered nor declared external`, path: ref.path }];
      }
      const listeners = selectedListeners(gateway, ref);
      if (listeners.length === 0) return [{ message: `Gateway ${ref.namespace}/${ref.name} has no listener ${ref.sectionName ?? ""}${ref.port ? ` on port ${ref.port}` : ""}`.trim(), path: ref.sectionName ? `${ref.path}/sectionName` : ref.path }];
      return listeners.some((l) => admits(l, namespaceOf(gateway), namespaceOf(o)))
        ? []
        : [{ message: `no selected listener of Gateway ${ref.namespace}/${ref.name} admits HTTPRoutes from namespace ${namespaceOf(o)} (allowedRoutes)`, path: ref.path }];
    });
  },
} satisfies CheckRule;
