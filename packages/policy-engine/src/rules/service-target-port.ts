import { asArray, asRecord, containerPorts, containersOf, namespaceOf, NO_VIOLATIONS } from "../helpers.ts";
import type { Workload } from "../object-index.ts";
import type { CheckRule, Violation } from "../types.ts";

// Services with one selector share its (cached) selection: collect the selected pods' ports once per selection.
const portsCache = new WeakMap<readonly Workload[], { port: number; name?: string }[]>();
function portsOf(pods: readonly Workload[]): { port: number; name?: string }[] {
  let ports = portsCache.get(pods);
  if (!ports) portsCache.set(pods, (ports = pods.flatMap((w) => containersOf(w.template, { includeInit: false }).flatMap((c) => containerPorts(c.container)))));
  return ports;
}

export default {
  id: "service-target-port",
  title: "A Service's target ports must exist on its pods",
  category: "network",
  severity: "error",
  rationale: "A targetPort that no selected container declares (by name or number) sends traffic nowhere.",
  remediation: "Use the container port's name (preferred) or number as targetPort.",
  kinds: ["Service"],
  check: (o, ctx) => {
    const spec = asRecord(o.spec);
    const selector = asRecord(spec.selector);
    if (Object.keys(selector).length === 0) return NO_VIOLATIONS;
    const pods = ctx.index.selectedByService(selector, namespaceOf(o));
    const ports = portsOf(pods);
    if (ports.length === 0) return NO_VIOLATIONS; // no pods (service-selector-matches) or pods that declare no ports
    const out: Violation[] = [];
    asArray(spec.ports).forEach((p, i) => {
      const port = asRecord(p);
      const target = port.targetPort ?? port.port;
      const found = typeof target === "number" ? ports.some((c) => c.port === target) : /^\d+$/.test(String(target)) ? ports.some((c) => c.port === Number(target)) : ports.some((c) => c.name === target);
      if (!found) out.push({ message: `targetPort ${String(target)} is not a port of the selected pods`, path: `/spec/ports/${i}${port.targetPort === undefined ? "" : "/targetPort"}` });
    });
    return out;
  },
} satisfies CheckRule;
