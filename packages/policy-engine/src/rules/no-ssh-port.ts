import { asArray, asNumber, asRecord, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "no-ssh-port",
  title: "Containers must not expose SSH (port 22)",
  category: "security",
  severity: "error",
  rationale: "An SSH server in a container is an unmanaged way in, beside the API server's audited exec, and a sign the image is a VM in disguise.",
  remediation: "Remove the sshd and port 22; use kubectl exec (audited, RBAC-controlled) for debugging.",
  kinds: WORKLOAD_KINDS,
  parameters: { ports: { default: [22], description: "forbidden container ports" } },
  check: (o, ctx) => {
    const forbidden = asArray(ctx.params.ports);
    return eachContainer(o, (c) => {
      const out: Violation[] = [];
      asArray(c.container.ports).forEach((p, i) => {
        const port = asNumber(asRecord(p).containerPort);
        if (port !== undefined && forbidden.includes(port)) out.push({ message: `container "${c.name}" exposes port ${port}`, path: `${c.path}/ports/${i}/containerPort` });
      });
      return out;
    });
  },
} satisfies CheckRule;
