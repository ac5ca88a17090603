// The Argo CD health customizations the stack ships (README: Delivery with Argo CD, Routing: Gateway API or
// Ingress), written once: `npm run generate` writes README's blocks from here, preflight compares argocd-cm with
// them, and test/argocd/health-lua.test.ts runs them with a real Lua the way Argo CD does (global `obj`, the
// script's returned table `{ status, message }`; only the base, table and a safe os library are open:
// argoproj/argo-cd util/lua/lua.go runLuaWithResourceActionParameters). Argo CD's Lua is gopher-lua (Lua 5.1 with
// goto): Lua 5.1 syntax only, and no `string` library.
import { LOAD_BALANCER_STATUS_ANNOTATION } from "./routes.ts";

export interface HealthCustomization {
  /** The argocd-cm key: resource.customizations.health.<group>_<kind>. */
  key: string;
  lua: string;
}

/**
 * Argo CD's built-in Ingress health waits until status.loadBalancer.ingress holds an IP or hostname; ingress-nginx
 * on NodePort or hostNetwork never writes one, so the Application would stay Progressing and its PostSync hooks
 * never run. This keeps the built-in rule for every Ingress except ours that say
 * mcp-stack.dev/load-balancer-status: not-published (ingress.controllerPublishesStatus false).
 */
export const INGRESS_HEALTH: HealthCustomization = {
  key: "resource.customizations.health.networking.k8s.io_Ingress",
  lua: `hs = {}
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
`,
};

/**
 * Argo CD before 3.3 has no HTTPRoute health (Healthy the moment it exists). Every parentRef of the route must have
 * a status entry for the route's current generation (conditions' observedGeneration; an older entry is stale, as is
 * one left behind for a parentRef since removed) with Accepted and ResolvedRefs True. False on a current entry is
 * Degraded; missing, Unknown or stale is Progressing, and so is a Programmed condition (some implementations set
 * one) that is not True, as in Argo CD's own script.
 */
export const HTTPROUTE_HEALTH: HealthCustomization = {
  key: "resource.customizations.health.gateway.networking.k8s.io_HTTPRoute",
  lua: `hs = { status = "Progressing", message = "waiting for a Gateway controller to report on the route" }
local namespace = obj.metadata.namespace or ""
local generation = obj.metadata.generation
local function key(ref)
  return (ref.namespace or namespace) .. "/" .. (ref.name or "") .. "/" .. (ref.sectionName or "") .. "/" .. tostring(ref.port or "")
end
local current, stale = {}, {}
if obj.status ~= nil and obj.status.parents ~= nil then
  for _, parent in ipairs(obj.status.parents) do
    if parent.parentRef ~= nil then
      local conditions = parent.conditions or {}
      local fresh = #conditions > 0
      for _, c in ipairs(conditions) do
        if generation ~= nil and c.observedGeneration ~= nil and c.observedGeneration < generation then fresh = false end
      end
      if fresh then current[key(parent.parentRef)] = conditions else stale[key(parent.parentRef)] = true end
    end
  end
end
local refs = {}
if obj.spec ~= nil and obj.spec.parentRefs ~= nil then refs = obj.spec.parentRefs end
if #refs == 0 then
  hs.status = "Degraded"
  hs.message = "the route names no parent Gateway"
  return hs
end
local waiting = nil
for _, ref in ipairs(refs) do
  local name = (ref.name or "?") .. (ref.sectionName and ("/" .. ref.sectionName) or "")
  local conditions = current[key(ref)]
  if conditions == nil then
    if waiting == nil then
      waiting = stale[key(ref)] and (name .. ": status not yet observed for generation " .. tostring(generation)) or (name .. ": waiting for a Gateway controller to report on the route")
    end
  else
    local seen = { Accepted = false, ResolvedRefs = false }
    for _, c in ipairs(conditions) do
      if c.type == "Accepted" or c.type == "ResolvedRefs" then
        if c.status == "False" then
          hs.status = "Degraded"
          hs.message = name .. ": " .. c.type .. " False (" .. (c.reason or "") .. ") " .. (c.message or "")
          return hs
        end
        if c.status == "True" then seen[c.type] = true end
      end
      if c.type == "Programmed" and c.status ~= "True" and waiting == nil then
        waiting = name .. ": Programmed " .. tostring(c.status) .. " (" .. (c.reason or "") .. ") " .. (c.message or "")
      end
    end
    if waiting == nil and not (seen.Accepted and seen.ResolvedRefs) then
      waiting = name .. ": waiting for Accepted and ResolvedRefs"
    end
  end
end
if waiting ~= nil then
  hs.message = waiting
  return hs
end
hs.status = "Healthy"
hs.message = "every parent Accepted, references resolved"
return hs
`,
};

/** The stack's customizations, in README order. */
export const HEALTH_CUSTOMIZATIONS = { ingress: INGRESS_HEALTH, httproute: HTTPROUTE_HEALTH } as const;

/** An argocd-cm `data` patch with the customization, as README shows it (a fenced YAML block). */
export function healthPatchBlock(h: HealthCustomization, comment: string): string {
  const body = h.lua.trimEnd().split("\n").map((l) => `    ${l}`).join("\n");
  return ["```yaml", `# ${comment}`, "data:", `  ${h.key}: |`, body, "```"].join("\n");
}
