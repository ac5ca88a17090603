import { asRecord, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "default-proc-mount",
  title: "Containers must use the default /proc mount",
  category: "security",
  severity: "error",
  rationale: "procMount: Unmasked exposes kernel information that the default masked /proc hides.",
  remediation: "Remove securityContext.procMount or set it to Default.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const procMount = asRecord(c.container.securityContext).procMount;
      return procMount === undefined || procMount === "Default"
        ? undefined
        : { message: `container "${c.name}" uses procMount ${String(procMount)}`, path: `${c.path}/securityContext/procMount` };
    }),
} satisfies CheckRule;
