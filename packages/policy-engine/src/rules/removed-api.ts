import { apiLifecycle, instantiate } from "../templates.ts";

export default instantiate(apiLifecycle, {
  id: "removed-api",
  title: "No API version removed in the target Kubernetes version",
  category: "api",
  severity: "error",
  rationale: "The API server rejects objects in removed API versions: the sync fails.",
  remediation: "Move the object to the replacement API version (see the message); set --kubernetes-version to the cluster's version.",
  parameters: { stage: "removed" },
});
