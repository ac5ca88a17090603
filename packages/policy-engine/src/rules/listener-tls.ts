import { asArray, asRecord, asString, nameOf } from "../helpers.ts";
import { onlyRedirects, routesOnListener } from "../routes.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "listener-tls",
  title: "Gateway listeners must terminate TLS; plain HTTP ones only redirect",
  category: "network",
  severity: "warning",
  rationale:
    "The gateway carries credentials and tokens and sets secure cookies in production: an HTTPS listener with a certificate " +
    "must serve the routes, and a plain HTTP listener may only carry a redirect to HTTPS.",
  remediation:
    "Give the Gateway an HTTPS listener with tls.certificateRefs (ingress.tls in settings) and attach the routes to it; on port 80 " +
    "attach only a RequestRedirect (scheme https) route.",
  kinds: ["Gateway"],
  check: (o, ctx) => {
    const listeners = asArray(asRecord(o.spec).listeners).map(asRecord);
    const out: Violation[] = [];
    const secure = listeners.filter((l) => (l.protocol === "HTTPS" || l.protocol === "TLS") && asArray(asRecord(l.tls).certificateRefs).length > 0);
    if (secure.length === 0) out.push({ message: `Gateway ${nameOf(o)} has no HTTPS listener with a certificate`, path: "/spec/listeners" });
    listeners.forEach((l, i) => {
      if (l.protocol !== "HTTP") return;
      const serving = routesOnListener(ctx.index, o, l).filter((r) => !onlyRedirects(r)).map(nameOf);
      if (serving.length) out.push({ message: `plain HTTP listener ${asString(l.name) ?? i} serves ${serving.join(", ")} (not only a redirect)`, path: `/spec/listeners/${i}` });
    });
    return out;
  },
} satisfies CheckRule;
