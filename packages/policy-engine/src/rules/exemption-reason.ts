import { annotationsOf, pointer } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "exemption-reason",
  title: "Exemption annotations need a reason and a known rule",
  category: "metadata",
  severity: "error",
  rationale: "An exemption without a reason cannot be reviewed, and one naming an unknown rule silently exempts nothing.",
  remediation: 'Write the annotation "<exemption prefix><rule-id>: <why this object is an exception>" with an existing rule id.',
  check: (o, ctx) => {
    const out: Violation[] = [];
    const prefix = ctx.exemptionPrefix;
    for (const [key, value] of Object.entries(annotationsOf(o))) {
      if (!key.startsWith(prefix)) continue;
      const ruleId = key.slice(prefix.length);
      const path = pointer("metadata", "annotations", key);
      if (!ctx.ruleIds.has(ruleId)) out.push({ message: `exemption names unknown rule "${ruleId}"`, path });
      else if (typeof value !== "string" || value.trim() === "") out.push({ message: `exemption for ${ruleId} needs a reason`, path });
    }
    return out;
  },
} satisfies CheckRule;
