import { asRecord, containerPorts, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const HANDLERS = ["httpGet", "tcpSocket", "grpc"] as const;

export default {
  id: "probe-port-exists",
  title: "Probes must target a port the container declares",
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
          const found = typeof port === "number" ? ports.some((p) => p.port === port) : ports.some((p) => p.name === port) || (/^\d+$/.test(String(port)) && ports.some((p) => p.port === Number(port)));
          if (!found) out.push({ message: `${probe} of container "${c.name}" targets port ${String(port)}, which the container does not declare`, path: `${c.path}/${probe}/${handler}/port` });
        }
      }
      return out;
    }),
} satisfies CheckRule;
