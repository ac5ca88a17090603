// What `npm run notes` prints (scripts/notes.ts parses the arguments and loads this only then): what the chart's
// NOTES.txt tells you after an install, derived from the environment's settings, and the Helm cutover runbook.
import { UsageError } from "../lib/cli.ts";
import { REPO_ROOT } from "../lib/paths.ts";
import type { Settings } from "../settings/schema.ts";
import { externalUrl, gatewayConfig } from "../stack/gateway.ts";
import { gatewayClassName, gatewayRef, implementationOf, rendersGateway, usesGatewayApi } from "../stack/gateway-api.ts";
import { migrationJobName } from "../stack/migration.ts";
import { SECRETS } from "../stack/credentials.ts";
import { registerFastTimeJobName, smokeTestJobName } from "../stack/post-sync.ts";
import { applicationName, ARGOCD_NAMESPACE, clusterPath, hostUrl, isWildcardHost, postSyncRuns, registersFastTime, routeHosts } from "../settings/derived.ts";
import { clusterSettings } from "../settings/clusters.ts";
import { FAST_TIME, GATEWAY, PGADMIN, POST_SYNC, REDIS_COMMANDER } from "../stack/workloads.ts";
import { isRouted } from "../stack/routes.ts";
import { chartFullname } from "../lib/helm-chart.ts";
import { helmCutover } from "./helm-cutover.ts";
const path = process.getBuiltinModule("node:path");

/** The local port for the gateway: the one in APP_DOMAIN when that is http://localhost:<port>, else 4444. */
function localGatewayPort(s: Settings): number {
  const m = /^http:\/\/localhost:(\d+)$/.exec(gatewayConfig(s).APP_DOMAIN ?? "");
  return m ? Number(m[1]) : GATEWAY.port;
}

function secretCommand(s: Settings, secret: string, key: string): string {
  if (s.credentials.source === "local") {
    // Generated Secrets carry a content hash in their name: select by the generator's name prefix.
    return (
      `kubectl -n ${s.namespace} get secret $(kubectl -n ${s.namespace} get secret -o name | grep -m1 'secret/${secret}-' | cut -d/ -f2) ` +
      `-o jsonpath='{.data.${key}}' | base64 -d; echo`
    );
  }
  return `kubectl -n ${s.namespace} get secret ${secret} -o jsonpath='{.data.${key}}' | base64 -d; echo`;
}

const CERTIFICATE_ARN = "alb.ingress.kubernetes.io/certificate-arn";

/**
 * The AWS Load Balancer Controller terminates TLS on the ALB with ACM certificates and ignores the TLS Secret
 * named in spec.tls: without an ACM certificate for the host, the HTTPS listener has nothing to serve.
 */
function acmNotes(s: Settings): string[] {
  const arn = s.ingress.certificateArn ?? s.ingress.annotations[CERTIFICATE_ARN];
  const from = s.ingress.certificateArn ? "ingress.certificateArn" : `ingress.annotations["${CERTIFICATE_ARN}"]`;
  return [
    `  TLS:        the ALB terminates TLS with an AWS Certificate Manager (ACM) certificate; it ignores Secret ${s.ingress.tls.secretName}`,
    arn
      ? `              certificate: ${arn} (${from})`
      : `              no ${CERTIFICATE_ARN} set: the controller discovers an issued ACM certificate covering ${routeHosts(s).join(", ")} in the ALB's region`,
    `              request one: aws acm request-certificate --domain-name ${s.ingress.host}${s.ingress.additionalHosts.length ? ` --subject-alternative-names ${s.ingress.additionalHosts.join(" ")}` : ""} --validation-method DNS`,
    `              (add the CNAME it asks for; or pin it: ingress.certificateArn: arn:aws:acm:<region>:<account>:certificate/<id>)`,
  ];
}

export function notes(env: string, s: Settings): string {
  const ns = s.namespace;
  const cfg = gatewayConfig(s);
  const port = localGatewayPort(s);
  const out: string[] = [];
  const section = (title: string) => out.push("", `== ${title}`);

  out.push(`mcp-stack, environment ${env}: namespace ${ns}, profile ${s.profile}, gateway ${s.gateway.image.repository}:${s.gateway.image.tag}`);
  out.push(
    `  ${s.gateway.hpa.enabled ? `HPA ${s.gateway.hpa.minReplicas}-${s.gateway.hpa.maxReplicas} replicas` : `${s.gateway.replicas} gateway replica(s)`}, ` +
      `routing ${!s.ingress.enabled ? "off" : usesGatewayApi(s) ? `Gateway API, ${implementationOf(s).title} (${s.ingress.host})` : `Ingress, ${s.ingress.controller} (${s.ingress.host})`}, ` +
      `migration ${s.migration.enabled ? "Job" : "in every gateway pod"}, credentials ${s.credentials.source}, ` +
      `Argo CD ${s.argocd.enabled ? applicationName(env) : "off (apply with kubectl)"}`,
  );

  section("Deploy");
  if (s.argocd.enabled) {
    out.push(`  kubectl apply -n ${ARGOCD_NAMESPACE} -k ${path.relative(process.cwd(), REPO_ROOT) || "."}    # once: the AppProject and the Applications`);
    out.push(`  argocd app sync ${applicationName(env)}                     # or wait for automated sync`);
  } else {
    out.push(`  npm run generate && kubectl apply -k overlays/${env}`);
  }

  section("Gateway");
  if (s.ingress.enabled) {
    const url = externalUrl(s);
    out.push(`  URL:        ${url}${s.ingress.path === "/" ? "" : s.ingress.path}`);
    for (const host of routeHosts(s).slice(1)) {
      out.push(
        isWildcardHost(host)
          ? `  also:       any name under ${host} (API and MCP clients; the Admin UI's forms need an exact host: origins are compared exactly)`
          : `  also:       ${hostUrl(s, host)}${s.ingress.path === "/" ? "" : s.ingress.path}   (health: ${hostUrl(s, host)}/health)`,
      );
    }
    out.push(`  Admin UI:   ${url}/admin`);
    out.push(`  Health:     curl -fsS ${url}/health   and   ${url}/ready`);
    if (isRouted(s, FAST_TIME.name)) out.push(`  fast-time:  ${url}${s.fastTime.path}/health (MCP at ${url}${s.fastTime.path}/http)`);
    if (s.ingress.tls.enabled && !usesGatewayApi(s) && s.ingress.controller === "aws-load-balancer") out.push(...acmNotes(s));
    else if (s.ingress.tls.enabled) {
      out.push(
        `  TLS:        certificate in Secret ${ns}/${s.ingress.tls.secretName} ` +
          (s.ingress.tls.certificate.enabled ? `(cert-manager Certificate, ${s.ingress.tls.certificate.issuerKind} ${s.ingress.tls.certificate.issuerName})` : "(not created by this stack)"),
      );
    }
    if (usesGatewayApi(s)) {
      const gw = gatewayRef(s);
      out.push(
        rendersGateway(s)
          ? `  Gateway:    ${gw.namespace}/${gw.name} (class ${gatewayClassName(s)}, rendered here); its address: kubectl -n ${gw.namespace} get gateway.gateway.networking.k8s.io ${gw.name} -o jsonpath='{.status.addresses[*].value}{"\\n"}'`
          : `  Gateway:    ${gw.namespace}/${gw.name}${s.ingress.gatewayApi.gateway.sectionName ? ` listener ${s.ingress.gatewayApi.gateway.sectionName}` : ""} (the platform's); point DNS for ${routeHosts(s).join(", ")} at its address`,
      );
      out.push(`  Routes:     kubectl -n ${ns} get httproutes.gateway.networking.k8s.io   (each parent Accepted and ResolvedRefs: npm run verify -- ${env})`);
    }
  }
  out.push(`  Port-forward: kubectl -n ${ns} port-forward svc/${GATEWAY.name} ${port}:${GATEWAY.servicePort}   then http://localhost:${port}/admin`);
  if (s.fastTime.enabled) out.push(`  fast-time:    kubectl -n ${ns} port-forward svc/${FAST_TIME.name} 8888:80   then http://localhost:8888/health`);
  if (s.adminUIs.pgadmin) out.push(`  PgAdmin:      kubectl -n ${ns} port-forward svc/${PGADMIN.name} 5050:80   then http://localhost:5050`);
  if (s.adminUIs.redisCommander) {
    out.push(`  Redis Commander: kubectl -n ${ns} port-forward svc/${REDIS_COMMANDER.name} ${REDIS_COMMANDER.port}:${REDIS_COMMANDER.port}   then http://localhost:${REDIS_COMMANDER.port}`);
  }

  section("Admin credentials");
  out.push(`  Login: ${cfg.PLATFORM_ADMIN_EMAIL} with PLATFORM_ADMIN_PASSWORD (email login; BASIC_AUTH_PASSWORD is only for basic auth)`);
  if (s.credentials.source === "local") {
    out.push(`  From the local file: grep PLATFORM_ADMIN_PASSWORD overlays/${env}/credentials/${SECRETS.gateway.name}.env`);
  } else if (s.credentials.source === "externalSecrets") {
    const es = s.credentials.externalSecrets;
    out.push(`  Source of truth: ${es.storeKind} ${es.storeName}, key ${es.remoteKeyPrefix}/${SECRETS.gateway.name}, property PLATFORM_ADMIN_PASSWORD`);
    out.push(`  Sync status:     kubectl -n ${ns} get externalsecret ${SECRETS.gateway.name}`);
  } else {
    out.push(`  Created beforehand with kubectl create secret (README: "Credentials"); missing Secrets keep pods in CreateContainerConfigError.`);
  }
  out.push(`  From the cluster: ${secretCommand(s, SECRETS.gateway.name, "PLATFORM_ADMIN_PASSWORD")}`);
  if (s.adminUIs.pgadmin) {
    out.push(`  PgAdmin login:    ${secretCommand(s, SECRETS.pgadmin.name, "PGADMIN_DEFAULT_EMAIL")}`);
    out.push(`                    ${secretCommand(s, SECRETS.pgadmin.name, "PGADMIN_DEFAULT_PASSWORD")}`);
  }
  out.push(
    `  API token:        kubectl -n ${ns} exec deploy/${GATEWAY.name} -- sh -c ` +
      `'python3 -m mcpgateway.utils.create_jwt_token --username "$PLATFORM_ADMIN_EMAIL" --exp 60 --secret "$JWT_SECRET_KEY"'`,
  );

  section("Database migration");
  if (s.migration.enabled) {
    const job = migrationJobName(s);
    out.push(`  kubectl -n ${ns} get job ${job}`);
    out.push(`  kubectl -n ${ns} logs -f job/${job}`);
    out.push(`  kubectl -n ${ns} wait --for=condition=complete job/${job} --timeout=${s.migration.activeDeadlineSeconds}s`);
    out.push(`  The gateway pods start once the schema is at head (init container wait-for-schema: Init:0/1 until then).`);
  } else {
    out.push(`  Every gateway pod migrates at start under an advisory lock: kubectl -n ${ns} logs -f deploy/${GATEWAY.name}`);
  }

  if (postSyncRuns(s)) {
    section("Post-sync tests");
    if (s.postSyncTests.enabled) out.push(`  Smoke test (/health, /ready): kubectl -n ${ns} logs -f job/${smokeTestJobName(s)}`);
    if (registersFastTime(s)) out.push(`  fast-time registration:       kubectl -n ${ns} logs -f job/${registerFastTimeJobName(s)}`);
    out.push(`  All of them: kubectl -n ${ns} get jobs -l app.kubernetes.io/name=${POST_SYNC.name}`);
    out.push(`  Under Argo CD a succeeded test Job is deleted; a failed one stays (and fails the sync) until the next sync.`);
  }

  if (s.clusters.length) {
    section(`Fleet: ${s.clusters.length} clusters, ApplicationSet ${applicationName(env)} (RollingSync)`);
    const order = s.argocd.rollout.map((r) => `${r.stage} (at most ${r.maxUpdate} at a time)`).join(", then ");
    out.push(`  Rollout: ${order}. Needs progressive syncs on: applicationsetcontroller.enable.progressive.syncs: "true" in argocd-cmd-params-cm.`);
    for (const c of s.clusters) {
      const cs = clusterSettings(s, c);
      const dest = c.destination.name ? `cluster ${c.destination.name}` : c.destination.server;
      out.push(`  ${c.name} [${c.stage}] ${dest}: ${isRouted(cs, GATEWAY.name) ? externalUrl(cs) : "not routed"}; Application ${applicationName(env, c.name)}`);
      out.push(`    npm run verify -- ${env} --cluster ${c.name} --context <its kube-context>    kustomize build ${clusterPath(env, c.name)}`);
    }
    out.push(`  Status of every step: kubectl -n ${ARGOCD_NAMESPACE} get applicationset ${applicationName(env)} -o jsonpath='{range .status.applicationStatus[*]}{.application} {.step} {.status}{"\\n"}{end}'`);
  }

  section("Status and troubleshooting");
  out.push(`  kubectl -n ${ns} get pods,svc,${usesGatewayApi(s) ? "httproutes.gateway.networking.k8s.io" : "ingress"},pvc,jobs`);
  out.push(`  kubectl -n ${ns} get events --sort-by=.lastTimestamp | tail -20`);
  out.push(`  kubectl -n ${ns} logs -f deploy/${GATEWAY.name}`);
  if (s.argocd.enabled) {
    const app = applicationName(env);
    out.push(`  kubectl -n ${ARGOCD_NAMESPACE} get application ${app} -o jsonpath='{.status.sync.status} {.status.health.status}{"\\n"}'`);
    out.push(`  argocd app get ${app}      argocd app diff ${app}      argocd app history ${app}`);
  }
  return out.join("\n").replace(/^\n/, "") + "\n";
}

export function cutoverNotes(env: string, s: Settings, release: string): string {
  const declared = s.migrateFromHelm?.release === release ? s.migrateFromHelm.fullname : undefined;
  return helmCutover({
    env,
    settings: s,
    release,
    fullname: declared ?? chartFullname(release),
    ...(s.argocd.enabled ? { application: applicationName(env) } : {}),
    ...(s.migration.enabled ? { migrationJob: migrationJobName(s) } : {}),
  });
}


/** The release the runbook is for: the one given, else settings' migrateFromHelm.release. */
export function cutoverRelease(given: string, s: Settings, env: string): string {
  const release = given || s.migrateFromHelm?.release;
  if (release === undefined) {
    throw new UsageError(`--migrate-from-helm: which release? overlays/${env}/settings.yaml has no migrateFromHelm.release`, {
      expected: "--migrate-from-helm RELEASE (the Helm release's name), or migrateFromHelm in settings (npm run import -- --from-helm writes it)",
    });
  }
  return release;
}
