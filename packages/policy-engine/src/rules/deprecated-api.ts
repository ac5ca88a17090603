import { atLeast, formatVersion, lifecycleOf } from "../api-versions.ts";
import { asString, kindOf, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "deprecated-api",
  title: "No API version deprecated in the target Kubernetes version",
  category: "api",
  severity: "warning",
  rationale: "A deprecated API version will be removed in a later release; migrating now avoids a failed sync on upgrade day.",
  remediation: "Move the object to the replacement API version (see the message).",
  check: (o, ctx) => {
    const life = lifecycleOf(asString(o.apiVersion) ?? "", kindOf(o));
    if (!life || !atLeast(ctx.kubernetesVersion, life.deprecatedIn)) return NO_VIOLATIONS;
    // Once removed, removed-api reports it as an error instead.
    if (life.removedIn && atLeast(ctx.kubernetesVersion, life.removedIn)) return NO_VIOLATIONS;
    return [{ message: `${String(o.apiVersion)} ${kindOf(o)} is deprecated since Kubernetes ${formatVersion(life.deprecatedIn)}; use ${life.replacement}`, path: "/apiVersion" }];
  },
} satisfies CheckRule;
