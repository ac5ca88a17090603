import { NO_VIOLATIONS, podTemplateOf, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

const FIELDS = ["hostNetwork", "hostPID", "hostIPC"] as const;

export default {
  id: "no-host-namespaces",
  title: "Pods must not share the host's network, PID or IPC namespace",
  category: "security",
  severity: "error",
  rationale: "Host namespaces expose every process, socket and shared-memory segment of the node to the pod.",
  remediation: "Remove hostNetwork, hostPID and hostIPC (or set them to false).",
  kinds: WORKLOAD_KINDS,
  check: (o) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    return FIELDS.filter((f) => t.spec[f] === true).map((f) => ({ message: `pod sets ${f}: true`, path: `${t.specPath}/${f}` }));
  },
} satisfies CheckRule;
