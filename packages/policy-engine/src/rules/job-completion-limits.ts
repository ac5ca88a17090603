import { annotationsOf, asRecord, kindOf } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

/** Hook Jobs whose tool deletes them after they finish need no TTL (a TTL would even make Argo CD re-create them). */
const DELETE_POLICY = ["argocd.argoproj.io/hook-delete-policy", "helm.sh/hook-delete-policy"];

function jobLimits(spec: Record<string, unknown>, at: string, needsTtl: boolean): Violation[] {
  const out: Violation[] = [];
  if (spec.backoffLimit === undefined) out.push({ message: "backoffLimit is not set (default 6 retries)", path: at });
  if (spec.activeDeadlineSeconds === undefined) out.push({ message: "activeDeadlineSeconds is not set: a hung run is never stopped", path: at });
  if (needsTtl && spec.ttlSecondsAfterFinished === undefined) out.push({ message: "ttlSecondsAfterFinished is not set and no hook delete policy removes the finished Job", path: at });
  return out;
}

export default {
  id: "job-completion-limits",
  title: "Jobs must bound retries and run time and be cleaned up",
  category: "jobs",
  severity: "warning",
  rationale: "Without backoffLimit and activeDeadlineSeconds a failing migration retries or hangs indefinitely; without a TTL or hook delete policy finished Jobs pile up.",
  remediation: "Set backoffLimit, activeDeadlineSeconds and ttlSecondsAfterFinished (or a hook delete policy); for a CronJob also startingDeadlineSeconds.",
  kinds: ["Job", "CronJob"],
  check: (o) => {
    const spec = asRecord(o.spec);
    if (kindOf(o) === "Job") {
      const annotations = annotationsOf(o);
      return jobLimits(spec, "/spec", !DELETE_POLICY.some((a) => annotations[a] !== undefined));
    }
    // A CronJob's history limits clean up its Jobs; a TTL is not needed there.
    const out = jobLimits(asRecord(asRecord(spec.jobTemplate).spec), "/spec/jobTemplate/spec", false);
    if (spec.startingDeadlineSeconds === undefined) out.push({ message: "startingDeadlineSeconds is not set", path: "/spec" });
    return out;
  },
} satisfies CheckRule;
