import { asRecord, containerPorts, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const HANDLERS = ["httpGet", "tcpSocket", "grpc"] as const;

export default {
  id: "probe-port-exists",
  title: "Probes must target a TCP port the container declares",
  category: "reliability",
  severity: "error",
  rationale: "A probe on a named port that does not exist never succeeds; one on an undeclared number usually means the probe and the server disagree.",
  remediation: "Point the probe at a containerPort of the same container (by name or number).",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const ports = containerPorts(c.container);
      const out: Violation[] = [];
      for (const probe of PROBES) {
        for (const handler of HANDLERS) {
          const port = asRecord(asRecord(c.container[probe])[handler]).port;
          if (port === undefined) continue;
          const matching = ports.filter((p) => (typeof port === "number" ? p.port === port : p.name === port || (/^\d+$/.test(String(port)) && p.port === Number(port))));
          const at = `${c.path}/${probe}/${handler}/port`;
          if (matching.length === 0) out.push({ message: `${probe} of container "${c.name}" targets port ${String(port)}, which the container does not declare`, path: at });
          // HTTP, TCP and gRPC probes all connect over TCP: a UDP or SCTP port never answers them.
          else if (!matching.some((p) => p.protocol === "TCP")) out.push({ message: `${probe} of container "${c.name}" probes ${matching[0]!.protocol} port ${String(port)} over TCP`, path: at });
        }
      }
      return out;
    }),
} satisfies CheckRule;
