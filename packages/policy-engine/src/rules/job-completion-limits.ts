import { annotationsOf, asArray, asRecord, kindOf } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

/** Hook Jobs whose tool deletes them after they finish need no TTL (a TTL would even make Argo CD re-create them). */
const DELETE_POLICY = ["argocd.argoproj.io/hook-delete-policy", "helm.sh/hook-delete-policy"];

function jobLimits(spec: Record<string, unknown>, at: string, needsTtl: boolean, required: readonly unknown[]): Violation[] {
  const out: Violation[] = [];
  if (required.includes("backoffLimit") && spec.backoffLimit === undefined) out.push({ message: "backoffLimit is not set (default 6 retries)", path: at });
  if (required.includes("activeDeadlineSeconds") && spec.activeDeadlineSeconds === undefined) out.push({ message: "activeDeadlineSeconds is not set: a hung run is never stopped", path: at });
  if (required.includes("ttlSecondsAfterFinished") && needsTtl && spec.ttlSecondsAfterFinished === undefined) out.push({ message: "ttlSecondsAfterFinished is not set and no hook delete policy removes the finished Job", path: at });
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
  parameters: {
    require: {
      default: ["backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "startingDeadlineSeconds"],
      description: "the fields required (startingDeadlineSeconds for CronJobs only)",
      peers: "kube-linter job-ttl-seconds-after-finished requires the TTL only (on CronJob templates too); kube-score requires startingDeadlineSeconds",
    },
    cronJobTtl: { default: false, description: "a CronJob's job template needs a TTL too (its history limits clean up otherwise)", peers: "kube-linter requires it" },
  },
  check: (o, ctx) => {
    const spec = asRecord(o.spec);
    const required = asArray(ctx.params.require);
    if (kindOf(o) === "Job") {
      const annotations = annotationsOf(o);
      return jobLimits(spec, "/spec", !DELETE_POLICY.some((a) => annotations[a] !== undefined), required);
    }
    // A CronJob's history limits clean up its Jobs; a TTL is not needed there unless asked for.
    const out = jobLimits(asRecord(asRecord(spec.jobTemplate).spec), "/spec/jobTemplate/spec", ctx.params.cronJobTtl === true, required);
    if (required.includes("startingDeadlineSeconds") && spec.startingDeadlineSeconds === undefined) out.push({ message: "startingDeadlineSeconds is not set", path: "/spec" });
    return out;
  },
} satisfies CheckRule;
