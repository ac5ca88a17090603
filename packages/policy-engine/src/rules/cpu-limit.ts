import { containerResources, instantiate } from "../templates.ts";

export default instantiate(containerResources, {
  id: "cpu-limit",
  title: "Containers may set a CPU limit",
  category: "resources",
  severity: "info",
  rationale: "CPU limits bound a runaway process but also throttle bursts; the field disagrees (Kyverno does not require them), so this is informational.",
  remediation: "Set resources.limits.cpu where a noisy neighbour is a bigger risk than throttling.",
  parameters: { resources: ["cpu"], sections: ["limits"] },
});
