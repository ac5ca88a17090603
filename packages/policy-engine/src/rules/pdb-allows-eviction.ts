import { asRecord, intOrPercent, namespaceOf, stableStringify } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "pdb-allows-eviction",
  title: "A PodDisruptionBudget must allow at least one eviction",
  category: "availability",
  severity: "error",
  rationale: "A PDB with maxUnavailable 0, or minAvailable equal to the replica count, blocks every node drain and cluster upgrade.",
  remediation: "Use maxUnavailable: 1 (or minAvailable below the replica count).",
  kinds: ["PodDisruptionBudget"],
  check: (o, ctx) => {
    const spec = asRecord(o.spec);
    const out: Violation[] = [];
    // Summed once per namespace and selector: renamed copies of a PDB share the (long) list of what they select.
    const sums = ctx.index.memo("pdb-selected-replicas", () => new Map<string, number>());
    const key = `${namespaceOf(o)}\u0000${stableStringify(spec.selector)}`;
    let replicas = sums.get(key);
    if (replicas === undefined) {
      replicas = ctx.index.selectedBy(spec.selector, namespaceOf(o)).reduce((n, w) => n + ctx.index.minReplicas(w.object), 0);
      sums.set(key, replicas);
    }
    if (spec.maxUnavailable !== undefined && intOrPercent(spec.maxUnavailable, Math.max(replicas, 1)) === 0) {
      out.push({ message: `maxUnavailable ${String(spec.maxUnavailable)} never allows an eviction`, path: "/spec/maxUnavailable" });
    }
    if (spec.minAvailable !== undefined) {
      const percent = typeof spec.minAvailable === "string" && spec.minAvailable.trim() === "100%";
      const min = intOrPercent(spec.minAvailable, replicas);
      if (percent || (replicas > 0 && min !== undefined && min >= replicas)) {
        out.push({ message: `minAvailable ${String(spec.minAvailable)} leaves no eviction for ${replicas} selected replica(s)`, path: "/spec/minAvailable" });
      }
    }
    return out;
  },
} satisfies CheckRule;
