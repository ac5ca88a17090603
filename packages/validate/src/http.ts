// Schema downloads as kubeconform's pkg/loader/http.go makes them: proxies from HTTPS_PROXY,
// HTTP_PROXY and NO_PROXY (undici's EnvHttpProxyAgent, like Go's http.ProxyFromEnvironment), up to
// two retries on network errors and 5xx answers, optional TLS verification skip.
import { EnvHttpProxyAgent, fetch } from "undici";

const agents = new Map<boolean, EnvHttpProxyAgent>();

function agentFor(insecure: boolean): EnvHttpProxyAgent {
  let agent = agents.get(insecure);
  if (!agent) {
    agent = new EnvHttpProxyAgent(insecure ? { connect: { rejectUnauthorized: false } } : {});
    agents.set(insecure, agent);
  }
  return agent;
}

const RETRIES = 2;

export async function download(url: string, insecureSkipTlsVerify: boolean): Promise<{ status: number; body: string }> {
  let lastError: unknown;
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    try {
      const response = await fetch(url, { dispatcher: agentFor(insecureSkipTlsVerify), signal: AbortSignal.timeout(30_000) });
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
