import { asArray, asRecord } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "service-type",
  title: "Services must not be NodePort or use externalIPs",
  category: "network",
  severity: "warning",
  rationale: "A NodePort opens the service on every node, around the Ingress and its TLS; externalIPs can hijack traffic (CVE-2020-8554).",
  remediation: "Use type ClusterIP behind the Ingress (the dev profile allows NodePort for local clusters).",
  kinds: ["Service"],
  check: (o) => {
    const spec = asRecord(o.spec);
    const out: Violation[] = [];
    if (spec.type === "NodePort") out.push({ message: "Service is of type NodePort", path: "/spec/type" });
    if (asArray(spec.externalIPs).length > 0) out.push({ message: "Service sets externalIPs", path: "/spec/externalIPs" });
    return out;
  },
} satisfies CheckRule;
