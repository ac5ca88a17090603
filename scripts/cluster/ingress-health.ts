// Argo CD's built-in Ingress health waits until status.loadBalancer.ingress holds an IP or hostname; ingress-nginx
// on NodePort or hostNetwork never writes one, so the Application would stay Progressing and its PostSync hooks
// never run. This customization (a key of argocd-cm, README: Delivery with Argo CD) keeps the built-in rule for
// every Ingress except ours that say mcp-stack.dev/load-balancer-status: not-published (ingress.controllerPublishesStatus
// false): those are Healthy once they exist.
import { LOAD_BALANCER_STATUS_ANNOTATION } from "../stack/routes.ts";

export const INGRESS_HEALTH_KEY = "resource.customizations.health.networking.k8s.io_Ingress";

export const INGRESS_HEALTH_LUA = `hs = {}
if obj.metadata.annotations ~= nil and obj.metadata.annotations["${LOAD_BALANCER_STATUS_ANNOTATION}"] == "not-published" then
  hs.status = "Healthy"
  hs.message = "the ingress controller publishes no load balancer status"
  return hs
end
if obj.status ~= nil and obj.status.loadBalancer ~= nil and obj.status.loadBalancer.ingress ~= nil then
  for _, lb in ipairs(obj.status.loadBalancer.ingress) do
    if (lb.ip ~= nil and lb.ip ~= "") or (lb.hostname ~= nil and lb.hostname ~= "") then
      hs.status = "Healthy"
      return hs
    end
  end
end
hs.status = "Progressing"
hs.message = "waiting for the ingress controller to publish status.loadBalancer"
return hs
`;
