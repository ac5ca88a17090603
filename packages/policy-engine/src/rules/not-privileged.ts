import { asRecord, eachContainer, effectiveSecurity, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "not-privileged",
  title: "Containers must not be privileged",
  category: "security",
  severity: "error",
  rationale: "A privileged container (or a Windows HostProcess container) has every capability and all host devices: it is root on the node.",
  remediation: "Remove securityContext.privileged (and windowsOptions.hostProcess) or set them to false.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c, t) => {
      const out: Violation[] = [];
      if (asRecord(c.container.securityContext).privileged === true) out.push({ message: `container "${c.name}" is privileged`, path: `${c.path}/securityContext/privileged` });
      const windows = effectiveSecurity(c, t, "windowsOptions");
      if (asRecord(windows.value).hostProcess === true) out.push({ message: `container "${c.name}" is a HostProcess container`, path: `${windows.path}/hostProcess` });
      return out;
    }),
} satisfies CheckRule;
