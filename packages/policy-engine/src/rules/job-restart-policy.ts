import { asRecord, NO_VIOLATIONS, podTemplateOf } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

const ALLOWED = new Set(["OnFailure", "Never"]);

export default {
  id: "job-restart-policy",
  title: "Job and CronJob pods must set restartPolicy OnFailure or Never",
  category: "jobs",
  severity: "error",
  rationale: "A Job's pod template defaults to restartPolicy Always, which the API server rejects for Jobs: the Job (or every CronJob run) is never created.",
  remediation: "Set spec.template.spec.restartPolicy (for a CronJob: spec.jobTemplate.spec.template.spec.restartPolicy) to OnFailure or Never.",
  kinds: ["Job", "CronJob"],
  check: (o) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const policy = asRecord(t.spec).restartPolicy;
    if (typeof policy === "string" && ALLOWED.has(policy)) return NO_VIOLATIONS;
    return [{ message: policy === undefined ? "restartPolicy is not set (defaults to Always, which Jobs reject)" : `restartPolicy ${String(policy)} is not allowed for Job pods`, path: policy === undefined ? t.specPath : `${t.specPath}/restartPolicy` }];
  },
} satisfies CheckRule;
