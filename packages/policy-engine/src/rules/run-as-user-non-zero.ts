import { instantiate, runAs } from "../templates.ts";

export default instantiate(runAs, {
  id: "run-as-user-non-zero",
  title: "Containers must not run as UID 0",
  category: "security",
  severity: "error",
  rationale: "Pod Security 'restricted' forbids runAsUser: 0; root in a container is root on the node after any escape.",
  remediation: "Set runAsUser to the image's non-root UID.",
  parameters: { field: "runAsUser", minimum: 1 },
});
