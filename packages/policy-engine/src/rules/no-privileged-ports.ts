import { asArray, asNumber, asRecord, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "no-privileged-ports",
  title: "Containers must not listen on privileged ports (below 1024)",
  category: "security",
  severity: "warning",
  rationale: "Binding a port below 1024 needs root or NET_BIND_SERVICE, which 'restricted' containers do not have; a Service maps any port, so the container need not use one.",
  remediation: "Listen on a port >= 1024 and map the well-known port in the Service (port: 80, targetPort: 8080).",
  kinds: WORKLOAD_KINDS,
  parameters: { below: { default: 1024, description: "container ports below this are privileged" } },
  check: (o, ctx) => {
    const below = asNumber(ctx.params.below) ?? 1024;
    return eachContainer(o, (c) => {
      const out: Violation[] = [];
      asArray(c.container.ports).forEach((p, i) => {
        const port = asNumber(asRecord(p).containerPort);
        if (port !== undefined && port < below) out.push({ message: `container "${c.name}" listens on privileged port ${port}`, path: `${c.path}/ports/${i}/containerPort` });
      });
      return out;
    });
  },
} satisfies CheckRule;
