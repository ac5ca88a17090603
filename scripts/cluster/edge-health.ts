// /health through the edge (a Gateway's address, an Ingress's load balancer) for one host: the request a client
// resolving the host would send, and its verdict. Shared by verify's route-health and ingress-health checks.
import { fail, pass, warn, type Outcome } from "./report.ts";
const http = process.getBuiltinModule("node:http");
const https = process.getBuiltinModule("node:https");

export interface EdgeProbe {
  id: string;
  scheme: "http" | "https";
  /** Where the edge listens (an IP or a load balancer's DNS name) and its port for the scheme. */
  address: string;
  port: number;
  /** The Host header (and SNI for HTTPS). */
  host: string;
  path: string;
  /** The gateway's own /health, whose body says whether it is healthy (the fast-time server's is not read). */
  gateway: boolean;
}

/**
 * The gateway's GET /health answers 200 also when its database is unreachable, with `{"status": "unhealthy", ...}`
 * (IBM/mcp-context-forge v1.0.8 mcpgateway/main.py:12211-12246), so a 2xx is healthy only with status "healthy".
 * Returns the status it reports instead, or undefined.
 */
export function unhealthyStatus(body: string): string | undefined {
  const status = /"status"\s*:\s*"([^"]*)"/.exec(body)?.[1];
  return status !== undefined && status !== "healthy" ? status : undefined;
}

/** GETs the probe's path at the edge and judges the answer: 2xx (and a healthy body) pass, another status fails, no answer is a warning. */
export async function probeEdge(p: EdgeProbe, timeoutMs: number, advice: { failed: string; unhealthy: string; unreachable: string }): Promise<Outcome> {
  const shown = `${p.scheme}://${p.host}${p.path} (at ${p.address}:${p.port})`;
  try {
    const res = await request(p, timeoutMs);
    const status = p.gateway ? unhealthyStatus(res.body) : undefined;
    if (res.status >= 200 && res.status < 300 && status === undefined) return pass(`${shown}: ${res.status} ${res.body}`, { id: p.id });
    return fail(`${shown}: HTTP ${res.status} ${res.body}`, {
      id: p.id,
      remediation: status !== undefined ? `the gateway answers but reports "${status}" (its database is unreachable?): ${advice.unhealthy}` : advice.failed,
    });
  } catch (err) {
    return warn(`${shown}: not reachable from here (${(err as { code?: string }).code ?? (err as Error).message})`, { id: p.id, remediation: advice.unreachable });
  }
}

function request(p: EdgeProbe, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = (p.scheme === "https" ? https.request : http.request)(
      { host: p.address, port: p.port, path: p.path, method: "GET", headers: { host: p.host }, timeout: timeoutMs, ...(p.scheme === "https" ? { servername: p.host } : {}) },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => void (body = (body + chunk).slice(0, 200)));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim().slice(0, 80) }));
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end();
  });
}
