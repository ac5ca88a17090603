import { apiLifecycle, instantiate } from "../templates.ts";

export default instantiate(apiLifecycle, {
  id: "deprecated-api",
  title: "No API version deprecated in the target Kubernetes version",
  category: "api",
  severity: "warning",
  rationale: "A deprecated API version will be removed in a later release; migrating now avoids a failed sync on upgrade day.",
  remediation: "Move the object to the replacement API version (see the message).",
  parameters: { stage: "deprecated" },
});
