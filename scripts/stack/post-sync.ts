// Post-sync Jobs (the chart's "Helm test hooks" and "register MCP servers" roadmap items), as Argo CD
// PostSync hooks: they run once every wave of a sync is healthy, and a failing Job fails the sync.
//  - smoke test: GET /health and /ready on the gateway through its Service (every environment, settings.postSyncTests.enabled)
//  - registration: mints a short-lived admin token from the gateway's JWT secret and registers the fast-time
//    server (POST /gateways, 409 = already registered). Needs the gateway's SSRF protection relaxed for the
//    in-cluster URL (settings load refuses the combination otherwise).
// Both run the gateway image (python3 is all they need; the digest pin follows the gateway's), hardened like
// every workload, under their own ServiceAccount and a NetworkPolicy that only lets them reach the gateway.
// Under plain `kubectl apply` the hook annotations do nothing: the Jobs run right away and wait for the gateway.
import { Job } from "kubernetes-models/batch/v1/Job";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { Settings } from "../settings/schema.ts";
import { imageRef, type Workload } from "./meta.ts";
import { hardenedContainer, hardenedJob, literalEnv, nameByContent, scratchDirs, secretEnv, serviceAccount } from "./shapes.ts";
import { workloadPolicy } from "./network.ts";
import { gatewayConfig, gatewayEnvFrom } from "./gateway.ts";
import { SECRETS } from "./credentials.ts";
import type { StackObject } from "./types.ts";
import { FAST_TIME, GATEWAY, POST_SYNC } from "./workloads.ts";
import { postSyncRuns, registersFastTime } from "../settings/derived.ts";

const SOURCE = "scripts/stack/post-sync.ts";

export const POST_SYNC_HOOK_ANNOTATIONS = {
  "argocd.argoproj.io/hook": "PostSync",
  "argocd.argoproj.io/hook-delete-policy": "HookSucceeded,BeforeHookCreation",
} as const;

export const postSyncWorkload = (s: Settings): Workload => ({
  name: POST_SYNC.name,
  component: POST_SYNC.component,
  version: s.gateway.image.tag,
});

const SMOKE_TEST_JOB = "mcp-smoke-test";
const REGISTER_JOB = "mcp-register-fast-time";

/** The gateway's Service from a pod in the same namespace (no namespace in it: the overlays need no patch). */
export const gatewayServiceUrl = (_s: Settings) => `http://${GATEWAY.name}:${GATEWAY.servicePort}`;
/** The fast-time server's streamable-HTTP endpoint as the gateway reaches it. */
export const fastTimeMcpUrl = (s: Settings) => `http://${FAST_TIME.name}.${s.namespace}.svc.cluster.local/http`;

/** Polls each path until it answers 200 or the deadline passes; prints what it saw. */
const SMOKE_TEST = `
import os, sys, time, urllib.request
base = os.environ["GATEWAY_URL"]
deadline = time.monotonic() + int(os.environ["TIMEOUT_SECONDS"])
for path in ("/health", "/ready"):
    while True:
        try:
            with urllib.request.urlopen(base + path, timeout=10) as r:
                print(f"ok {path}: HTTP {r.status} {r.read(300).decode(errors='replace')}", flush=True)
                break
        except Exception as e:
            if time.monotonic() > deadline:
                print(f"FAILED {path}: {e}", file=sys.stderr, flush=True)
                sys.exit(1)
            print(f"waiting for {path}: {e}", flush=True)
            time.sleep(5)
print("gateway healthy and ready", flush=True)
`.trim();

/** Waits for /ready, then registers the fast-time server; 409 means it is registered already. */
const REGISTER = `
import json, os, sys, time, urllib.error, urllib.request
base = os.environ["GATEWAY_URL"]
deadline = time.monotonic() + int(os.environ["TIMEOUT_SECONDS"])
while True:
    try:
        urllib.request.urlopen(base + "/ready", timeout=10).close()
        break
    except Exception as e:
        if time.monotonic() > deadline:
            sys.exit(f"gateway not ready: {e}")
        time.sleep(5)
body = json.dumps({"name": "fast-time", "url": os.environ["MCP_SERVER_URL"], "transport": "STREAMABLEHTTP",
                   "description": "fast-time MCP server (registered by the post-sync Job)"}).encode()
req = urllib.request.Request(base + "/gateways", data=body, method="POST", headers={
    "Authorization": "Bearer " + os.environ["TOKEN"], "Content-Type": "application/json"})
try:
    with urllib.request.urlopen(req, timeout=60) as r:
        print(f"registered fast-time: HTTP {r.status}", flush=True)
except urllib.error.HTTPError as e:
    if e.code == 409:
        print("fast-time is registered already (HTTP 409)", flush=True)
    else:
        sys.exit(f"registration failed: HTTP {e.code} {e.read(500).decode(errors='replace')}")
`.trim();

/** The token is minted inside the pod from the Secret's env var: the key never appears in a manifest. */
const MINT_AND_REGISTER =
  "set -e; " +
  'TOKEN="$(python3 -m mcpgateway.utils.create_jwt_token --username "$PLATFORM_ADMIN_EMAIL" --exp 10 --secret "$JWT_SECRET_KEY" | tail -n 1)"; ' +
  'export TOKEN; exec python3 -c "$REGISTER_SCRIPT"';

/**
 * A post-sync Job named <prefix>-<tag>-<hash of what it runs> (shapes.ts nameByContent): `kubectl apply` never
 * edits the immutable template of an existing one.
 */
function job(
  s: Settings,
  w: Workload,
  prefix: string,
  container: Omit<IContainer, "name" | "image" | "securityContext" | "resources" | "imagePullPolicy">,
  readsConfig: Record<string, string>[] = [],
): Job {
  const tmp = scratchDirs({ tmp: "/tmp" });
  const built = hardenedJob(w, s, {
    name: prefix,
    uid: GATEWAY.uid,
    annotations: { ...POST_SYNC_HOOK_ANNOTATIONS },
    backoffLimit: 1,
    activeDeadlineSeconds: s.postSyncTests.timeoutSeconds + 120,
    ttlSecondsAfterFinished: 600,
    pod: {
      containers: [
        hardenedContainer({
          name: "test",
          image: imageRef(s.gateway.image),
          pullPolicy: s.gateway.image.pullPolicy,
          ...container,
          volumeMounts: tmp.mounts,
          resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        }),
      ],
      volumes: tmp.volumes,
    },
  });
  return nameByContent(built, prefix, s.gateway.image.tag, readsConfig);
}

const commonEnv = (s: Settings) =>
  literalEnv({ GATEWAY_URL: gatewayServiceUrl(s), TIMEOUT_SECONDS: String(s.postSyncTests.timeoutSeconds), PYTHONDONTWRITEBYTECODE: "1" });

function smokeTestJob(s: Settings): Job {
  return job(s, postSyncWorkload(s), SMOKE_TEST_JOB, { command: ["python3", "-c", SMOKE_TEST], env: commonEnv(s) });
}

function registerFastTimeJob(s: Settings): Job {
  return job(
    s,
    postSyncWorkload(s),
    REGISTER_JOB,
    {
      command: ["/bin/sh", "-c", MINT_AND_REGISTER],
      // The token tool loads the gateway's settings (which refuse weak secrets): same env as the gateway.
      envFrom: gatewayEnvFrom(),
      env: [
        ...commonEnv(s),
        secretEnv("JWT_SECRET_KEY", SECRETS.gateway.name),
        ...literalEnv({ MCP_SERVER_URL: fastTimeMcpUrl(s), REGISTER_SCRIPT: REGISTER }),
      ],
    },
    [gatewayConfig(s)],
  );
}

export const smokeTestJobName = (s: Settings) => smokeTestJob(s).metadata!.name!;
export const registerFastTimeJobName = (s: Settings) => registerFastTimeJob(s).metadata!.name!;


export function postSync(s: Settings): StackObject[] {
  const t = s.postSyncTests;
  const register = registersFastTime(s);
  if (!postSyncRuns(s)) return [];
  const w = postSyncWorkload(s);
  const objects: StackObject[] = [
    { object: serviceAccount(w, s), source: SOURCE },
    { object: workloadPolicy(w, s), source: SOURCE },
  ];
  if (t.enabled) objects.push({ object: smokeTestJob(s), source: SOURCE });
  if (register) objects.push({ object: registerFastTimeJob(s), source: SOURCE });
  return objects;
}
