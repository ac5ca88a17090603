import { asArray, asRecord, asString, NO_VIOLATIONS, podTemplateOf, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

/** The namespaced, safe set of Pod Security 'baseline'. */
const SAFE = new Set([
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
]);

export default {
  id: "safe-sysctls",
  title: "Pods may set only safe sysctls",
  category: "security",
  severity: "error",
  rationale: "Unsafe sysctls change kernel settings shared with other pods on the node.",
  remediation: "Remove securityContext.sysctls entries outside the Pod Security safe set.",
  kinds: WORKLOAD_KINDS,
  check: (o) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const out: Violation[] = [];
    asArray(asRecord(t.spec.securityContext).sysctls).forEach((s, i) => {
      const name = asString(asRecord(s).name) ?? "";
      if (!SAFE.has(name)) out.push({ message: `pod sets unsafe sysctl ${name}`, path: `${t.specPath}/securityContext/sysctls/${i}` });
    });
    return out;
  },
} satisfies CheckRule;
