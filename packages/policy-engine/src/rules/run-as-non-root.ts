import { instantiate, runAs } from "../templates.ts";

export default instantiate(runAs, {
  id: "run-as-non-root",
  title: "Containers must run as non-root",
  category: "security",
  severity: "error",
  rationale: "Pod Security 'restricted' requires runAsNonRoot: true so the kubelet refuses to start a container whose image runs as root.",
  remediation: "Set securityContext.runAsNonRoot: true on the pod (or on every container) and run the image as a non-zero UID.",
  parameters: { field: "runAsNonRoot" },
});
