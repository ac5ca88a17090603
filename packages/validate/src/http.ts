// Schema downloads as kubeconform's pkg/loader/http.go makes them: proxies from HTTPS_PROXY,
// HTTP_PROXY and NO_PROXY (and their lower-case forms) as Go's http.ProxyFromEnvironment reads them
// (undici's EnvHttpProxyAgent; like Go, localhost and loopback addresses are never proxied), up to
// two retries on network errors and 5xx answers, optional TLS verification skip.
import { Agent, EnvHttpProxyAgent, fetch, type Dispatcher } from "undici";
const net = process.getBuiltinModule("node:net");

const agents = new Map<string, Dispatcher>();

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"] as const;

/** One agent per proxy settings and TLS choice (the environment is read when an agent is made). */
function agentFor(url: URL, insecure: boolean): Dispatcher {
  const direct = isLoopback(url.hostname);
  const key = JSON.stringify([insecure, direct, direct ? [] : PROXY_VARIABLES.map((v) => process.env[v] ?? "")]);
  let agent = agents.get(key);
  if (!agent) {
    const connect = insecure ? { connect: { rejectUnauthorized: false } } : {};
    // Go sends http:// requests to an http proxy as absolute-URI requests, tunnelling only https://
    agent = direct ? new Agent(connect) : new EnvHttpProxyAgent({ ...connect, proxyTunnel: false } as EnvHttpProxyAgent.Options);
    agents.set(key, agent);
  }
  return agent;
}

/** golang.org/x/net/http/httpproxy's useProxy: "localhost" and loopback IPs always go direct. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  if (net.isIPv4(host)) return host.startsWith("127.");
  if (net.isIPv6(host)) return host === "::1" || /^(0+:){7}0*1$/.test(host) || /^::ffff:127\./.test(host);
  return false;
}

const RETRIES = 2;

export async function download(url: string, insecureSkipTlsVerify: boolean): Promise<{ status: number; body: string }> {
  let lastError: unknown;
  const dispatcher = agentFor(new URL(url), insecureSkipTlsVerify);
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    try {
      const response = await fetch(url, { dispatcher, signal: AbortSignal.timeout(30_000) });
      if (response.status >= 500 && attempt < RETRIES) {
        await response.body?.cancel();
        continue;
      }
      return { status: response.status, body: response.status === 200 ? await response.text() : "" };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
