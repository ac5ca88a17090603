import { asRecord, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "read-only-root-filesystem",
  title: "Containers should have a read-only root filesystem",
  category: "security",
  severity: "warning",
  rationale: "A writable root filesystem lets an intruder drop binaries and tamper with the application; writable paths should be explicit emptyDirs.",
  remediation: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) =>
      asRecord(c.container.securityContext).readOnlyRootFilesystem === true
        ? undefined
        : { message: `container "${c.name}" has a writable root filesystem`, path: `${c.path}/securityContext` },
    ),
} satisfies CheckRule;
