import { asRecord, labelsOf, nameOf, NO_VIOLATIONS } from "../helpers.ts";
import { bindVolumes, claimBacksDatabase } from "../storage.ts";
import type { CheckRule } from "../types.ts";

const DATABASE_NAME = /postgres|mysql|mariadb|mongo|redis|database|\bdb\b/i;

export default {
  id: "pv-reclaim-retain",
  title: "Volumes holding a database must use reclaim policy Retain",
  category: "storage",
  severity: "error",
  rationale: "With Delete (or Recycle) removing the claim, e.g. when Argo CD prunes or an overlay is torn down, destroys the database's data.",
  remediation: "Set spec.persistentVolumeReclaimPolicy: Retain on the PersistentVolume.",
  kinds: ["PersistentVolume"],
  check: (o, ctx) => {
    const policy = asRecord(o.spec).persistentVolumeReclaimPolicy;
    // Manually created volumes default to Retain.
    if (policy === undefined || policy === "Retain") return NO_VIOLATIONS;
    const claim = bindVolumes(ctx.index).claimOfVolume.get(o);
    const database = claim ? claimBacksDatabase(ctx.index, claim) : DATABASE_NAME.test(nameOf(o)) || Object.values(labelsOf(o)).some((v) => DATABASE_NAME.test(String(v)));
    if (!database) return NO_VIOLATIONS;
    return [{ message: `reclaim policy ${String(policy)} on a database volume${claim ? ` (claim "${claim.name}")` : ""}`, path: "/spec/persistentVolumeReclaimPolicy" }];
  },
} satisfies CheckRule;
