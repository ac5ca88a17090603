import { asArray, asRecord, asString } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

function covers(pattern: string, host: string): boolean {
  return pattern === host || (pattern.startsWith("*.") && host.endsWith(pattern.slice(1)) && !host.slice(0, -pattern.length + 1).includes("."));
}

export default {
  id: "ingress-tls",
  title: "Ingresses must terminate TLS for every host",
  category: "network",
  severity: "warning",
  rationale: "Plain HTTP exposes credentials, tokens and session cookies to anyone on the path; applications that set secure cookies or HSTS also break over it.",
  remediation: "Add spec.tls with a secretName (e.g. from cert-manager) listing every rule host.",
  kinds: ["Ingress"],
  check: (o) => {
    const spec = asRecord(o.spec);
    const tls = asArray(spec.tls).map(asRecord);
    if (tls.length === 0) return [{ message: "Ingress has no TLS section", path: "/spec" }];
    const tlsHosts = tls.flatMap((t) => asArray(t.hosts).filter((h): h is string => typeof h === "string"));
    const out: Violation[] = [];
    asArray(spec.rules).forEach((r, i) => {
      const host = asString(asRecord(r).host);
      if (host && tlsHosts.length > 0 && !tlsHosts.some((p) => covers(p, host))) out.push({ message: `host ${host} is not covered by spec.tls`, path: `/spec/rules/${i}/host` });
    });
    return out;
  },
} satisfies CheckRule;
