import { containerResources, instantiate } from "../templates.ts";

export default instantiate(containerResources, {
  id: "ephemeral-storage",
  title: "Containers must request and limit ephemeral storage",
  category: "resources",
  severity: "warning",
  rationale: "Logs, emptyDirs and writable layers share the node's disk: without a limit one container can fill it and get every pod on the node evicted; without a request the scheduler cannot account for it.",
  remediation: "Set resources.requests and resources.limits for ephemeral-storage on every container (a few hundred MiB for a stateless service).",
  parameters: { resources: ["ephemeral-storage"], sections: ["requests", "limits"] },
});
