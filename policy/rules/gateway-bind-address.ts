import { containerPorts, namespaceOf, LONG_RUNNING_KINDS, resolveEnv, type CheckRule, type Violation } from "@mcp-stack/policy-engine";
import { gatewayContainers } from "../gateway.ts";

const ALL_INTERFACES = new Set(["0.0.0.0", "::", "[::]"]);

export default {
  id: "gateway-bind-address",
  title: "The gateway must listen on all interfaces on its declared port",
  category: "gateway",
  severity: "error",
  rationale: "The gateway binds ${HOST}:${PORT} and HOST defaults to 127.0.0.1: without HOST=0.0.0.0 the Service and the probes cannot reach it. PORT must be the container port the Service targets (4444).",
  remediation: "Set HOST=0.0.0.0 and PORT=4444 (env or the gateway ConfigMap) and declare containerPort 4444.",
  kinds: LONG_RUNNING_KINDS,
  check: (o, ctx) =>
    gatewayContainers(o).flatMap((c) => {
      const { vars, incomplete } = resolveEnv(c.container, c.path, namespaceOf(o), ctx.index);
      const out: Violation[] = [];
      const host = vars.get("HOST");
      if (!host) {
        if (!incomplete) out.push({ message: `container "${c.name}" does not set HOST; the gateway binds 127.0.0.1 and is unreachable`, path: c.path });
      } else if (host.value !== undefined && !ALL_INTERFACES.has(host.value.trim())) {
        out.push({ message: `container "${c.name}" binds HOST=${host.value}; use 0.0.0.0`, path: host.path });
      }
      const port = vars.get("PORT");
      const declared = containerPorts(c.container);
      if (!port) {
        if (!incomplete) out.push({ message: `container "${c.name}" does not set PORT`, path: c.path });
      } else if (port.value !== undefined) {
        if (!/^\d+$/.test(port.value.trim())) out.push({ message: `container "${c.name}" sets PORT=${port.value}, not a port number`, path: port.path });
        else if (declared.length > 0 && !declared.some((p) => p.port === Number(port.value))) {
          out.push({ message: `container "${c.name}" listens on PORT=${port.value} but declares containerPort ${declared.map((p) => p.port).join(", ")}`, path: port.path });
        }
      }
      return out;
    }),
} satisfies CheckRule;
