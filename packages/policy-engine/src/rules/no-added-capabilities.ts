import { asArray, asRecord, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

/** The only capability Pod Security 'restricted' lets a container add. */
const ALLOWED = new Set(["NET_BIND_SERVICE"]);

export default {
  id: "no-added-capabilities",
  title: "No capabilities may be added except NET_BIND_SERVICE",
  category: "security",
  severity: "error",
  rationale: "Added capabilities such as SYS_ADMIN, NET_ADMIN or ALL give a container near-root power over the node or its network.",
  remediation: "Remove securityContext.capabilities.add entries other than NET_BIND_SERVICE.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const add = asArray(asRecord(asRecord(c.container.securityContext).capabilities).add);
      const out: Violation[] = [];
      add.forEach((cap, i) => {
        const name = String(cap).toUpperCase().replace(/^CAP_/, "");
        if (!ALLOWED.has(name)) out.push({ message: `container "${c.name}" adds capability ${String(cap)}`, path: `${c.path}/securityContext/capabilities/add/${i}` });
      });
      return out;
    }),
} satisfies CheckRule;
