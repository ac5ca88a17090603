// Cookie security against the way users reach the Admin UI. The gateway sets Secure on its auth cookies
// when ENVIRONMENT=production or SECURE_COOKIES=true (mcpgateway/utils/security_cookies.py:86, config.py:1185,
// :1234: SECURE_COOKIES defaults to true); browsers store Secure cookies only over https, or on localhost.
// Where users come from: the gateway's Ingress (https when it has TLS for the host, or when the controller
// terminates TLS through annotations such as ALB's certificate-arn), else kubectl port-forward to localhost.
import type { Environment, Hit } from "./types.ts";
import { appOf, arr, containersOf, envOf, podOf, rec, str } from "./model.ts";

const GATEWAY = "mcp-gateway";
const truthy = (v: string | undefined) => v !== undefined && ["1", "true", "yes", "on"].includes(v.toLowerCase());

export function cookies(env: Environment): Hit[] {
  const hits: Hit[] = [];
  for (const o of env.index.workloads(GATEWAY).filter((w) => w.kind === "Deployment")) {
    const main = containersOf(podOf(o)!, { init: false })[0];
    if (!main) continue;
    const vars = envOf(main.c, env.index.configMaps);
    const environment = vars.get("ENVIRONMENT") ?? "development";
    const secureSetting = vars.has("SECURE_COOKIES") ? truthy(vars.get("SECURE_COOKIES")) : true;
    const secure = environment === "production" || secureSetting;
    if (!secure) continue;
    const ingresses = env.index.ofKind("Ingress").filter((i) => appOf(i) === GATEWAY);
    for (const ing of ingresses) {
      const spec = rec(ing.object.spec);
      const tlsHosts = new Set(arr(spec.tls).flatMap((t) => arr(rec(t).hosts).map((h) => str(h) ?? "")));
      const controllerTls = Object.keys(ing.annotations).some((k) => k.endsWith("/certificate-arn"));
      for (const r of arr(spec.rules)) {
        const host = str(rec(r).host) ?? "";
        if (tlsHosts.has(host) || controllerTls || host === "localhost") continue;
        hits.push({
          rule: "cookie-secure-http",
          obj: o,
          path: `${main.path}/env`,
          message: `users reach the Admin UI at http://${host} (Ingress ${ing.name} has no TLS for it), but ${environment === "production" ? "ENVIRONMENT=production" : "SECURE_COOKIES"} makes the gateway set Secure on its auth cookies (utils/security_cookies.py:86): browsers drop them and login is impossible`,
        });
      }
    }
  }
  return hits;
}
