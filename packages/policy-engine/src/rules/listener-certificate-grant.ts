import { asArray, asRecord, asString, namespaceOf } from "../helpers.ts";
import { declaredExternalParents, GATEWAY_GROUP, referenceGranted } from "../routes.ts";
import type { CheckRule, Violation } from "../types.ts";

/** Default annotation on a Gateway listing the certificates (<namespace>/<name>) granted to it outside the manifests. */
export const DEFAULT_EXTERNAL_GRANTS_ANNOTATION = "kube-policy.dev/external-grants";

export default {
  id: "listener-certificate-grant",
  title: "A Gateway listener's certificate in another namespace must be granted to it",
  category: "network",
  severity: "error",
  rationale:
    "A listener may terminate TLS with a Secret of another namespace only when a ReferenceGrant there admits Gateways of the " +
    "listener's namespace; without one the listener reports ResolvedRefs False (RefNotPermitted) and serves nothing.",
  remediation:
    "Render a ReferenceGrant in the Secret's namespace (from Gateway in the listener's namespace, to that Secret), or declare one " +
    "that lives outside the manifests: the annotation externalGrantsAnnotation names, with the value <namespace>/<name>[,...].",
  parameters: {
    externalGrantsAnnotation: {
      default: DEFAULT_EXTERNAL_GRANTS_ANNOTATION,
      description: "annotation on a Gateway listing the certificate Secrets (<namespace>/<name>, comma-separated) granted to it outside the manifests",
    },
  },
  kinds: ["Gateway"],
  check: (o, ctx) => {
    const declared = declaredExternalParents(o, String(ctx.params.externalGrantsAnnotation ?? DEFAULT_EXTERNAL_GRANTS_ANNOTATION));
    const ns = namespaceOf(o);
    return asArray(asRecord(o.spec).listeners).flatMap((l, i) =>
      asArray(asRecord(asRecord(l).tls).certificateRefs).flatMap((r, j): Violation[] => {
        const ref = asRecord(r);
        const to = { group: asString(ref.group) ?? "", kind: asString(ref.kind) ?? "Secret", namespace: asString(ref.namespace) ?? ns, name: asString(ref.name) ?? "" };
        if (to.namespace === ns || declared.has(`${to.namespace}/${to.name}`)) return [];
        if (referenceGranted(ctx.index, { group: GATEWAY_GROUP, kind: "Gateway", namespace: ns }, to)) return [];
        return [{
          message: `listener ${asString(asRecord(l).name) ?? i} terminates with ${to.kind} ${to.namespace}/${to.name}, which no ReferenceGrant in ${to.namespace} grants to Gateways of ${ns}`,
          path: `/spec/listeners/${i}/tls/certificateRefs/${j}`,
        }];
      }),
    );
  },
} satisfies CheckRule;
