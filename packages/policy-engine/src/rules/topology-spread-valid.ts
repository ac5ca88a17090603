import { asArray, asNumber, asRecord, asString, NO_VIOLATIONS, podTemplateOf, selectorMatches, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

const WHEN = new Set(["DoNotSchedule", "ScheduleAnyway"]);

export default {
  id: "topology-spread-valid",
  title: "Topology spread constraints must be complete and select the pods",
  category: "availability",
  severity: "error",
  rationale: "A constraint without a topologyKey, a positive maxSkew or a valid whenUnsatisfiable is rejected; one whose labelSelector misses the pod's own labels spreads nothing.",
  remediation: "Give each constraint maxSkew >= 1, a topologyKey, whenUnsatisfiable DoNotSchedule or ScheduleAnyway, and a labelSelector matching the pod labels.",
  kinds: WORKLOAD_KINDS,
  check: (o) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const out: Violation[] = [];
    asArray(t.spec.topologySpreadConstraints).forEach((raw, i) => {
      const c = asRecord(raw);
      const at = `${t.specPath}/topologySpreadConstraints/${i}`;
      if ((asNumber(c.maxSkew) ?? 0) < 1) out.push({ message: `constraint #${i} needs maxSkew >= 1`, path: `${at}/maxSkew` });
      if (!asString(c.topologyKey)) out.push({ message: `constraint #${i} has no topologyKey`, path: at });
      if (!WHEN.has(String(c.whenUnsatisfiable))) out.push({ message: `constraint #${i} whenUnsatisfiable must be DoNotSchedule or ScheduleAnyway`, path: `${at}/whenUnsatisfiable` });
      if (c.minDomains !== undefined && ((asNumber(c.minDomains) ?? 0) < 1 || c.whenUnsatisfiable !== "DoNotSchedule")) {
        out.push({ message: `constraint #${i} minDomains needs a value >= 1 and whenUnsatisfiable DoNotSchedule`, path: `${at}/minDomains` });
      }
      if (c.labelSelector === undefined || !selectorMatches(c.labelSelector, t.labels)) out.push({ message: `constraint #${i} labelSelector does not select the pod's own labels`, path: `${at}/labelSelector` });
    });
    return out;
  },
} satisfies CheckRule;
