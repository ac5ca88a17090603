import { instantiate, runAs } from "../templates.ts";

export default instantiate(runAs, {
  id: "run-as-group-non-zero",
  title: "Containers must not run with GID 0",
  category: "security",
  severity: "error",
  rationale: "Group 0 (root) owns most system files writable by group in images; with it a process reads and writes what only root should.",
  remediation: "Set runAsGroup (and fsGroup) to the image's non-root GID.",
  parameters: { field: "runAsGroup", minimum: 1 },
});
