import { instantiate, requiredLabel } from "../templates.ts";

export default instantiate(requiredLabel, {
  id: "required-labels",
  title: "Workloads, their pods and Services must carry app.kubernetes.io/name",
  category: "metadata",
  severity: "warning",
  rationale: "Selectors, NetworkPolicies, dashboards and `kubectl get -l` all rely on the name label.",
  remediation: "Add the app.kubernetes.io/name label (kustomize `labels` with includeTemplates sets it everywhere).",
  parameters: { key: "app.kubernetes.io/name" },
});
