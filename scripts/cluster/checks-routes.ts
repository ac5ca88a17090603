// Gateway API against the cluster. preflight: the CRDs (and their bundle version), the GatewayClass and its
// controller, and (attaching) the platform's Gateway: its listener and whether its allowedRoutes admit our namespace.
// verify: each HTTPRoute's status (every parent Accepted and ResolvedRefs), the stack's Gateway Programmed, and the
// gateway's /health (and fast-time's, through the prefix rewrite) through the route when the host is reachable.
import { externalUrl } from "../stack/gateway.ts";
import { foreignCertificates, gatewayClassName, gatewayRef, implementationOf, listenerFor, rendersGateway, usesGatewayApi } from "../stack/gateway-api.ts";
import { hostnameMatches } from "@mcp-stack/policy-engine";
import { hostUrl, isWildcardHost, routeHosts } from "../settings/derived.ts";
import { GATEWAY } from "../stack/workloads.ts";
import { probeEdge } from "./edge-health.ts";
import { conditionOf } from "./kubectl.ts";
import type { PreflightContext } from "./checks-preflight.ts";
import type { VerifyContext } from "./checks-verify.ts";
import { fail, pass, warn, type Check, type Outcome } from "./report.ts";
import { nameOf, ofKind, type Target } from "./target.ts";

const GROUP = "gateway.networking.k8s.io";
const R = { gatewayClass: `gatewayclasses.${GROUP}`, gateway: `gateways.${GROUP}`, httpRoute: `httproutes.${GROUP}`, referenceGrant: `referencegrants.${GROUP}` } as const;
/** The CRDs every Gateway API route needs, whatever the render holds (a Gateway to attach to has a class). */
const CORE_CRDS = [R.gatewayClass, R.gateway, R.httpRoute];
const CRD_INSTALL =
  "install the Gateway API CRDs: kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.1/standard-install.yaml (Envoy Gateway's chart installs them itself)";

const applies = ({ target }: { target: Target }) => usesGatewayApi(target.settings);
const gatewayLabel = (t: Target) => `${gatewayRef(t.settings).namespace}/${gatewayRef(t.settings).name}`;

/** The platform's Gateway (attach) or null, as the API server has it. */
const liveGateway = (ctx: PreflightContext | VerifyContext) =>
  ctx.k.getJson([R.gateway, gatewayRef(ctx.target.settings).name, "-n", gatewayRef(ctx.target.settings).namespace]);

/** A Gateway listener as the API returns it. */
interface Listener {
  name?: string;
  allowedRoutes?: {
    kinds?: { kind?: string }[];
    namespaces?: { from?: string; selector?: { matchLabels?: Record<string, string> } };
  };
}

/** Does a listener admit HTTPRoutes from our namespace (labels of the namespace for a Selector)? */
function admits(listener: Listener, gatewayNamespace: string, namespace: string, namespaceLabels: Record<string, string>): string | undefined {
  const allowed = listener.allowedRoutes ?? {};
  const kinds = allowed.kinds ?? [];
  if (kinds.length && !kinds.some((k) => k.kind === "HTTPRoute")) return `admits only ${kinds.map((k) => k.kind).join(", ")}`;
  const from = allowed.namespaces?.from ?? "Same";
  if (from === "All") return undefined;
  if (from === "Same") return gatewayNamespace === namespace ? undefined : `admits routes from its own namespace ${gatewayNamespace} only`;
  // Selector: matchLabels are compared; matchExpressions are left to the route's status (verify).
  const match = allowed.namespaces?.selector?.matchLabels ?? {};
  const missing = Object.entries(match).filter(([k, v]) => namespaceLabels[k] !== v);
  return missing.length ? `selects namespaces labelled ${missing.map(([k, v]) => `${k}=${v}`).join(",")}, which ${namespace} is not` : undefined;
}

interface ReferenceGrantJson {
  metadata?: { name?: string };
  spec?: { from?: { group?: string; kind?: string; namespace?: string }[]; to?: { group?: string; kind?: string; name?: string }[] };
}

export const ROUTE_PREFLIGHT_CHECKS: Check<PreflightContext>[] = [
  {
    id: "listener-certificate-grants",
    title: "Certificates of the stack's Gateway in other namespaces are granted to it (ReferenceGrant)",
    remediation: "",
    applies: ({ target }) => foreignCertificates(target.settings).length > 0,
    run: async ({ k, target }) =>
      Promise.all(
        foreignCertificates(target.settings).map(async ({ namespace, name }): Promise<Outcome> => {
          const id = `listener-certificate-grants/${namespace}/${name}`;
          const grants = await k.list<ReferenceGrantJson>([R.referenceGrant, "-n", namespace]);
          const grant = grants.find(
            (g) =>
              (g.spec?.from ?? []).some((f) => f.group === GROUP && f.kind === "Gateway" && f.namespace === target.namespace) &&
              (g.spec?.to ?? []).some((t) => (t.group ?? "") === "" && t.kind === "Secret" && (!t.name || t.name === name)),
          );
          return grant
            ? pass(`Secret ${namespace}/${name}: ReferenceGrant ${grant.metadata?.name ?? "?"} lets Gateways of ${target.namespace} read it`, { id })
            : fail(`Secret ${namespace}/${name}: no ReferenceGrant in ${namespace} lets Gateways of ${target.namespace} read it (the listener would report ResolvedRefs False, RefNotPermitted)`, {
                id,
                remediation: `ask the owner of ${namespace} for a ReferenceGrant there: from [{ group: ${GROUP}, kind: Gateway, namespace: ${target.namespace} }], to [{ group: "", kind: Secret, name: ${name} }]`,
              });
        }),
      ),
  },
  {
    id: "gateway-api-crds",
    title: "Gateway API CRDs installed",
    remediation: CRD_INSTALL,
    applies,
    run: async ({ k }) =>
      Promise.all(
        CORE_CRDS.map(async (crd): Promise<Outcome> => {
          const id = `gateway-api-crds/${crd}`;
          const live = await k.getJson(["customresourcedefinition", crd]);
          if (!live) return fail(`${crd} not installed`, { id });
          if (conditionOf(live, "Established")?.status !== "True") return fail(`${crd} not Established`, { id, remediation: `kubectl describe crd ${crd}` });
          const served = ((live.spec?.versions ?? []) as { name?: string; served?: boolean }[]).filter((v) => v.served).map((v) => v.name);
          const bundle = live.metadata?.annotations?.["gateway.networking.k8s.io/bundle-version"];
          const channel = live.metadata?.annotations?.["gateway.networking.k8s.io/channel"];
          if (crd !== R.gatewayClass && served.length && !served.includes("v1")) {
            return fail(`${crd} serves ${served.join(", ")}, not v1 (bundle ${bundle ?? "?"})`, { id, remediation: `upgrade the Gateway API CRDs to v1.0 or later: ${CRD_INSTALL}` });
          }
          return pass(`${crd}${bundle ? ` (bundle ${bundle}${channel ? `, ${channel}` : ""})` : ""}`, { id });
        }),
      ),
  },
  {
    id: "gateway-class",
    title: "GatewayClass accepted by its controller",
    remediation: ({ target }) => implementationOf(target.settings).install,
    applies,
    run: async (ctx) => {
      const { k, target } = ctx;
      const s = target.settings;
      let name = gatewayClassName(s);
      if (!rendersGateway(s)) {
        const gw = await liveGateway(ctx);
        if (!gw) return warn(`the Gateway ${gatewayLabel(target)} to attach to is missing, so its class is unknown (see check gateway)`);
        name = String(gw.spec?.gatewayClassName ?? "");
      }
      const id = `gateway-class/${name}`;
      const gc = await k.getJson([R.gatewayClass, name]);
      if (!gc) return fail(`GatewayClass ${name} does not exist`, { id });
      const accepted = conditionOf(gc, "Accepted");
      const controller = String(gc.spec?.controllerName ?? "?");
      if (accepted?.status !== "True") {
        return fail(`GatewayClass ${name} (${controller}) not Accepted${accepted?.reason ? `: ${accepted.reason}` : ""}: is its controller running?`, { id });
      }
      const expected = implementationOf(s).controllerName;
      if (expected && controller !== expected) {
        return warn(`GatewayClass ${name} is served by ${controller}, settings say ${s.ingress.gatewayApi.implementation} (${expected})`, {
          id,
          remediation: "set ingress.gatewayApi.implementation to the implementation that serves the class (the NetworkPolicy peer of its proxies depends on it)",
        });
      }
      return pass(`GatewayClass ${name} Accepted (${controller})`, { id });
    },
  },
  {
    id: "gateway",
    title: "The Gateway to attach to exists and admits our routes",
    remediation: ({ target }) =>
      `ask the platform team for the Gateway ${gatewayLabel(target)} (or correct ingress.gatewayApi.gateway), or render one: ingress.gatewayApi.mode create`,
    applies: ({ target }) => applies({ target }) && !rendersGateway(target.settings),
    run: async (ctx) => {
      const { k, target } = ctx;
      const s = target.settings;
      const ref = gatewayRef(s);
      const gw = await liveGateway(ctx);
      if (!gw) return fail(`Gateway ${gatewayLabel(target)} not found`);
      const section = s.ingress.gatewayApi.gateway.sectionName;
      const listeners = ((gw.spec?.listeners ?? []) as Listener[]).filter((l) => !section || l.name === section);
      if (!listeners.length) {
        return fail(`Gateway ${gatewayLabel(target)} has no listener ${section}`, {
          remediation: `set ingress.gatewayApi.gateway.sectionName to one of: ${((gw.spec?.listeners ?? []) as Listener[]).map((l) => l.name).join(", ")}`,
        });
      }
      const ns = await k.getJson(["namespace", target.namespace]);
      const rendered = ofKind(target, "Namespace").find((n) => nameOf(n) === target.namespace);
      const labels = { "kubernetes.io/metadata.name": target.namespace, ...(rendered?.metadata?.labels ?? {}), ...(ns?.metadata?.labels ?? {}) };
      const refusals = listeners.map((l) => ({ l, why: admits(l, ref.namespace, target.namespace, labels) }));
      const admitting = refusals.filter((r) => !r.why);
      if (!admitting.length) {
        return fail(`no listener of ${gatewayLabel(target)} admits HTTPRoutes from ${target.namespace}: ${refusals.map((r) => `${r.l.name} ${r.why}`).join("; ")}`, {
          remediation: `ask the platform team to admit namespace ${target.namespace} in the listener's allowedRoutes (or label the namespace as its selector expects)`,
        });
      }
      const programmed = conditionOf(gw, "Programmed");
      const names = admitting.map((r) => r.l.name).join(", ");
      return programmed?.status === "True"
        ? pass(`Gateway ${gatewayLabel(target)} Programmed; listener ${names} admits ${target.namespace}`)
        : warn(`Gateway ${gatewayLabel(target)} not Programmed${programmed?.reason ? ` (${programmed.reason})` : ""}; listener ${names} admits ${target.namespace}`, {
            remediation: `kubectl describe ${R.gateway} ${ref.name} -n ${ref.namespace}`,
          });
    },
  },
];

interface ParentStatus {
  parentRef?: { name?: string; namespace?: string; sectionName?: string };
  controllerName?: string;
  conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
}

export const ROUTE_VERIFY_CHECKS: Check<VerifyContext>[] = [
  {
    id: "gateway-programmed",
    title: "The stack's Gateway is Programmed and has an address",
    remediation: ({ target }) => `kubectl describe ${R.gateway} ${gatewayRef(target.settings).name} -n ${target.namespace}; npm run preflight -- ${target.env ?? ""}`,
    applies: ({ target }) => rendersGateway(target.settings),
    run: async (ctx) => {
      const gw = await liveGateway(ctx);
      if (!gw) return fail(`Gateway ${gatewayLabel(ctx.target)} not found`);
      const programmed = conditionOf(gw, "Programmed");
      const addresses = ((gw.status?.addresses ?? []) as { value?: string }[]).map((a) => a.value).filter(Boolean);
      if (programmed?.status !== "True") return fail(`not Programmed${programmed?.reason ? `: ${programmed.reason}` : ""}${programmed?.message ? ` (${programmed.message})` : ""}`);
      return addresses.length
        ? pass(`Programmed, address ${addresses.join(", ")}`)
        : warn("Programmed, no address yet", { remediation: "a LoadBalancer Service without a load balancer stays pending (minikube: run `minikube tunnel`)" });
    },
  },
  {
    id: "route",
    title: "HTTPRoutes accepted by their Gateway, references resolved",
    remediation: ({ target }) => `kubectl describe ${R.httpRoute} -n ${target.namespace}`,
    applies: ({ target }) => ofKind(target, "HTTPRoute").length > 0,
    run: async ({ k, target }) =>
      Promise.all(
        ofKind(target, "HTTPRoute").map(async (route): Promise<Outcome> => {
          const name = nameOf(route);
          const id = `route/${name}`;
          const remediation = `kubectl describe ${R.httpRoute} ${name} -n ${target.namespace}`;
          const live = await k.getJson([R.httpRoute, name, "-n", target.namespace]);
          if (!live) return fail(`${name} not found`, { id, remediation });
          const parents = (live.status?.parents ?? []) as ParentStatus[];
          const wanted = (route.spec?.parentRefs ?? []) as { name?: string; namespace?: string; sectionName?: string }[];
          const problems: string[] = [];
          for (const ref of wanted) {
            const status = parents.find((p) => p.parentRef?.name === ref.name && (p.parentRef?.namespace ?? target.namespace) === (ref.namespace ?? target.namespace) && (p.parentRef?.sectionName ?? "") === (ref.sectionName ?? ""));
            const label = `${ref.namespace ?? target.namespace}/${ref.name}${ref.sectionName ? `:${ref.sectionName}` : ""}`;
            if (!status) {
              problems.push(`${label}: no status from any controller (is the Gateway there and its class's controller running?)`);
              continue;
            }
            for (const type of ["Accepted", "ResolvedRefs"]) {
              const c = status.conditions?.find((x) => x.type === type);
              if (c?.status !== "True") problems.push(`${label}: ${type} ${c?.status ?? "missing"}${c?.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ""})` : ""}`);
            }
          }
          return problems.length ? fail(`${name}: ${problems.join("; ")}`, { id, remediation }) : pass(`${name}: Accepted, ResolvedRefs on ${wanted.length} parent(s)`, { id });
        }),
      ),
  },
  {
    id: "route-health",
    title: "/health through the route for each host (at the Gateway's address, Host header the host)",
    remediation: "",
    // With --url the health check already goes there.
    applies: ({ target, url }) => !url && ofKind(target, "HTTPRoute").length > 0,
    run: async (ctx) => {
      const { target } = ctx;
      const s = target.settings;
      const gw = await liveGateway(ctx);
      const address = ((gw?.status?.addresses ?? []) as { value?: string }[]).map((a) => a.value).find(Boolean);
      const live = (gw?.spec?.listeners ?? []) as { name?: string; port?: number; protocol?: string; hostname?: string }[];
      // The listener a client of this host reaches: the stack's serving one for it, the attached sectionName, or
      // the platform Gateway's first HTTPS (else HTTP) listener whose hostname admits the host.
      const listenerOf = (host: string) => {
        const section = rendersGateway(s) ? listenerFor(s, host)?.name : s.ingress.gatewayApi.gateway.sectionName;
        if (section) return live.find((l) => l.name === section);
        const admits = live.filter((l) => !l.hostname || hostnameMatches(l.hostname, host));
        return admits.find((l) => l.protocol === "HTTPS") ?? admits.find((l) => l.protocol === "HTTP");
      };
      const hosts = routeHosts(s).filter((h) => !isWildcardHost(h));
      if (!gw || !address || !hosts.some((h) => listenerOf(h)?.port)) {
        const why = !gw || !address ? "publishes no address"
          : hosts.length === 0 ? "is reached only through wildcard hosts here (no host to probe)"
          : `has no listener that admits ${hosts.join(", ")}`;
        return warn(`not reachable from here: Gateway ${gatewayLabel(target)} ${why}`, {
          remediation: `once it has one (kubectl get ${R.gateway} -n ${gatewayRef(s).namespace}): npm run verify -- ${target.env ?? "<env>"} --url ${externalUrl(s)}`,
        });
      }
      const fastTimeRouted = ofKind(target, "HTTPRoute").some((r) => nameOf(r) === "fast-time-server");
      const probes = hosts.flatMap((host) => {
        const suffix = host === s.ingress.host ? "" : `@${host}`;
        return [
          { id: `route-health/gateway${suffix}`, host, path: `${s.ingress.path.replace(/\/$/, "")}/health`, gateway: true },
          ...(fastTimeRouted ? [{ id: `route-health/fast-time${suffix}`, host, path: `${s.fastTime.path}/health`, gateway: false }] : []),
        ];
      });
      return Promise.all(
        probes.map(async ({ id, host, path, gateway }): Promise<Outcome> => {
          const listener = listenerOf(host);
          if (!listener?.port) return warn(`${host}: no listener of Gateway ${gatewayLabel(target)} admits it`, { id, remediation: `kubectl get ${R.gateway} -n ${gatewayRef(s).namespace} -o yaml (listeners' hostnames)` });
          const scheme = listener.protocol === "HTTPS" ? "https" : "http";
          return probeEdge({ id, scheme, address, port: listener.port, host, path, gateway }, ctx.fetchTimeoutMs ?? 5_000, {
            failed: `kubectl describe ${R.httpRoute} -n ${target.namespace} (404: hostname or path mismatch; 500/503: unresolved backend or no ready pods)`,
            unhealthy: `kubectl logs deployment/${GATEWAY.name} -n ${target.namespace}`,
            unreachable: `the address may be private to the cluster's network: from inside it, npm run verify -- ${target.env ?? "<env>"} --url ${hostUrl(s, host)}`,
          });
        }),
      );
    },
  },
];
