import { containerResources, instantiate } from "../templates.ts";

export default instantiate(containerResources, {
  id: "memory-limit",
  title: "Containers must set a memory limit",
  category: "resources",
  severity: "warning",
  rationale: "A container without a memory limit can exhaust the node's memory and get neighbouring pods OOM-killed.",
  remediation: "Set resources.limits.memory on every container.",
  parameters: { resources: ["memory"], sections: ["limits"] },
});
