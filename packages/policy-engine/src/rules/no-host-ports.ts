import { asArray, asRecord, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "no-host-ports",
  title: "Containers must not bind host ports",
  category: "security",
  severity: "error",
  rationale: "A hostPort opens the port on the node itself, bypasses NetworkPolicies and limits scheduling to one pod per node.",
  remediation: "Remove ports[].hostPort and expose the container through a Service.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const out: Violation[] = [];
      asArray(c.container.ports).forEach((p, i) => {
        const hostPort = asRecord(p).hostPort;
        if (hostPort !== undefined && hostPort !== 0) out.push({ message: `container "${c.name}" binds host port ${String(hostPort)}`, path: `${c.path}/ports/${i}/hostPort` });
      });
      return out;
    }),
} satisfies CheckRule;
