import { asArray, asRecord, isEmptySelector, namespaceOf } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "networkpolicy-targets-pods",
  title: "A NetworkPolicy and its pod peers must select pods",
  category: "network",
  severity: "warning",
  rationale: "A policy (or an allowed peer) whose selector matches nothing is dead configuration, and usually means a label drifted so the intended traffic is now blocked.",
  remediation: "Make spec.podSelector and every same-namespace peer podSelector match rendered pod template labels.",
  kinds: ["NetworkPolicy"],
  check: (o, ctx) => {
    const ns = namespaceOf(o);
    const spec = asRecord(o.spec);
    const out: Violation[] = [];
    const matchesNothing = (selector: unknown) => !isEmptySelector(selector) && ctx.index.selectedBy(selector, ns).length === 0;
    if (matchesNothing(spec.podSelector)) out.push({ message: "spec.podSelector matches no pods in the rendered set", path: "/spec/podSelector" });
    for (const [direction, peers] of [["ingress", "from"], ["egress", "to"]] as const) {
      asArray(spec[direction]).forEach((r, i) => {
        asArray(asRecord(r)[peers]).forEach((p, j) => {
          const peer = asRecord(p);
          // Peers with a namespaceSelector select pods in other namespaces, which are not in the set.
          if (peer.podSelector !== undefined && peer.namespaceSelector === undefined && matchesNothing(peer.podSelector)) {
            out.push({ message: `${direction} peer podSelector matches no pods in the rendered set`, path: `/spec/${direction}/${i}/${peers}/${j}/podSelector` });
          }
        });
      });
    }
    return out;
  },
} satisfies CheckRule;
