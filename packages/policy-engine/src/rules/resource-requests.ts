import { containerResources, instantiate } from "../templates.ts";

export default instantiate(containerResources, {
  id: "resource-requests",
  title: "Containers must request CPU and memory",
  category: "resources",
  severity: "warning",
  rationale: "Without requests the scheduler places pods blindly, the pod gets BestEffort QoS and is evicted first, and an HPA on CPU cannot work.",
  remediation: "Set resources.requests.cpu and resources.requests.memory on every container, init containers included.",
  parameters: { resources: ["cpu", "memory"], sections: ["requests"] },
});
