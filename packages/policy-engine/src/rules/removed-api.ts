import { atLeast, formatVersion, lifecycleOf } from "../api-versions.ts";
import { asString, kindOf, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "removed-api",
  title: "No API version removed in the target Kubernetes version",
  category: "api",
  severity: "error",
  rationale: "The API server rejects objects in removed API versions: the sync fails.",
  remediation: "Move the object to the replacement API version (see the message); set --kubernetes-version to the cluster's version.",
  check: (o, ctx) => {
    const life = lifecycleOf(asString(o.apiVersion) ?? "", kindOf(o));
    if (!life?.removedIn || !atLeast(ctx.kubernetesVersion, life.removedIn)) return NO_VIOLATIONS;
    return [{ message: `${String(o.apiVersion)} ${kindOf(o)} was removed in Kubernetes ${formatVersion(life.removedIn)}; use ${life.replacement}`, path: "/apiVersion" }];
  },
} satisfies CheckRule;
