import { labelsOf, nameOf, NO_VIOLATIONS, podTemplateOf, pointer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

const INSTANCE = "app.kubernetes.io/instance";
/** Labels that say which application a workload is; its pods must say the same. */
const IDENTITY = ["app.kubernetes.io/name", INSTANCE, "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/version"];

export default {
  id: "label-consistency",
  title: "A workload's recommended labels must agree with its pods' labels",
  category: "metadata",
  severity: "warning",
  rationale: "Dashboards, NetworkPolicies and `kubectl get -l` see the pods, reviewers the workload: when app.kubernetes.io/* values differ between them, one of the two is lying.",
  remediation: "Set the app.kubernetes.io/* labels once (kustomize `labels` with includeTemplates) so the workload and its pod template carry the same values.",
  kinds: WORKLOAD_KINDS,
  parameters: {
    instanceIsName: { default: false, description: "app.kubernetes.io/instance must be set and equal metadata.name", peers: "Polaris metadataAndInstanceMismatched requires it (a Helm convention; our instance is the stack)" },
  },
  check: (o, ctx) => {
    const labels = labelsOf(o);
    const out: Violation[] = [];
    if (ctx.params.instanceIsName === true && labels[INSTANCE] !== nameOf(o)) {
      out.push({ message: labels[INSTANCE] === undefined ? `no ${INSTANCE} label` : `${INSTANCE}=${String(labels[INSTANCE])} differs from the name ${nameOf(o)}`, path: labels[INSTANCE] === undefined ? "/metadata" : pointer("metadata", "labels", INSTANCE) });
    }
    const t = podTemplateOf(o);
    if (!t || t.metadataPath === "/metadata") return out.length ? out : NO_VIOLATIONS;
    for (const key of IDENTITY) {
      const own = labels[key];
      const pods = t.labels[key];
      if (own !== undefined && pods !== undefined && own !== pods) {
        out.push({ message: `label ${key} is ${String(own)} on the workload but ${String(pods)} on its pods`, path: `${t.metadataPath}${pointer("labels", key)}` });
      }
    }
    return out;
  },
} satisfies CheckRule;
