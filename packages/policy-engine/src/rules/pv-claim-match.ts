import { bindVolumes } from "../storage.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "pv-claim-match",
  title: "Manually provisioned claims must match a rendered PersistentVolume",
  category: "storage",
  severity: "error",
  rationale: "Without dynamic provisioning a claim binds only to a volume with the same class, enough capacity and its access modes; otherwise it stays Pending and the database never starts.",
  remediation: "Render a PersistentVolume with the claim's storageClassName, capacity >= the request and the same access modes (or fix the claim).",
  kinds: ["PersistentVolumeClaim", "StatefulSet"],
  check: (o, ctx) =>
    bindVolumes(ctx.index)
      .claims.filter((c) => c.owner === o && c.problem)
      .map((c) => ({ message: `claim "${c.name}" binds no PersistentVolume: ${c.problem}`, path: c.path })),
} satisfies CheckRule;
