// The cutover runbook from a release of the mcp-stack Helm chart to an environment of this project:
// `npm run notes -- <env> --migrate-from-helm [RELEASE]`. Every command is printed for the reader to run;
// nothing is looked up and no secret value is printed.
//
// Chart names (IBM/mcp-context-forge charts/mcp-stack, v0.9.0 and v1.0.8 alike):
//   Deployments <fullname>-mcpgateway, -postgres, -redis        templates/deployment-*.yaml metadata.name, pods app=<name>
//   Claims      <fullname>-postgres-pvc, -redis-pvc              templates/postgres-pvc.yaml, redis-pvc.yaml
//   Secrets     <fullname>-gateway-secret (mcpContextForge.secret), <fullname>-postgres-secret
//               (POSTGRES_USER/PASSWORD/DB), <fullname>-redis-secret (REDIS_PASSWORD, 1.x only)
//               templates/secret-gateway.yaml, secret-postgres.yaml, secret-redis.yaml, _helpers.tpl
import type { Settings } from "../settings/schema.ts";
import { SECRETS } from "../stack/credentials.ts";

export interface CutoverInput {
  env: string;
  settings: Settings;
  release: string;
  /** The chart's object name prefix; from settings.migrateFromHelm, else the chart's rule for a plain release. */
  fullname: string;
  /** How the environment is delivered: the Argo CD Application's name, or undefined for kubectl apply. */
  application?: string;
  /** The gateway's migration Job, to follow in step 8. */
  migrationJob?: string;
}

/** Which of the chart's Secrets and keys carry over into which of ours. */
function carryOver(fullname: string): { from: string; to: string; keys: string[]; why: string }[] {
  return [
    {
      from: `${fullname}-gateway-secret`,
      to: SECRETS.gateway.name,
      keys: Object.keys(SECRETS.gateway.keys),
      why: "JWT_SECRET_KEY keeps issued tokens valid; AUTH_ENCRYPTION_SECRET keeps encrypted values in the database readable",
    },
    {
      from: `${fullname}-postgres-secret`,
      to: SECRETS.postgres.name,
      keys: Object.keys(SECRETS.postgres.keys),
      why: "the data directory keeps its users: the gateway must log in as the chart's owner",
    },
  ];
}

const fromSecret = (ns: string, secret: string, key: string) => `"$(kubectl -n ${ns} get secret ${secret} -o jsonpath='{.data.${key}}' | base64 -d)"`;

export function helmCutover(input: CutoverInput): string {
  const { env, settings: s, release, fullname } = input;
  const ns = s.namespace;
  const out: string[] = [];
  const step = (n: number, title: string, ...lines: string[]) => out.push("", `${n}. ${title}`, ...lines.map((l) => `   ${l}`));
  const claims = (["postgres", "redis"] as const).filter((st) => s[st].persistence.enabled && s[st].persistence.existingClaim);
  const carry = carryOver(fullname);

  out.push(`Cutover from Helm release ${release} (objects ${fullname}-*) to environment ${env} (namespace ${ns}).`);
  out.push(`Run each step in order; stop at the first one that fails. No step deletes data.`);
  if (!s.migrateFromHelm) out.push(`(settings.yaml has no migrateFromHelm block: names assume the chart's defaults for release ${release}.)`);

  step(
    1,
    "Keep the claims: helm uninstall deletes them otherwise",
    ...(claims.length
      ? claims.map((st) => `kubectl -n ${ns} annotate pvc ${s[st].persistence.existingClaim} helm.sh/resource-policy=keep --overwrite`)
      : ["(this environment adopts no claim: its data stores start empty; restore the dump of step 3 after step 7 instead)"]),
    ...(claims.length ? [`then set migrateFromHelm.claimsKept: true in overlays/${env}/settings.yaml (the deployability analysis warns until then)`] : []),
  );

  const copyLines: string[] = [];
  for (const c of carry) {
    copyLines.push(`# ${c.to} <- ${c.from}: ${c.why}`);
    if (s.credentials.source === "local") {
      copyLines.push(
        `(umask 077; { ${c.keys.map((k) => `printf '${k}=%s\\n' ${fromSecret(ns, c.from, k)}`).join("; ")}; } > overlays/${env}/credentials/${c.to}.env)`,
      );
    } else if (s.credentials.source === "existingSecrets") {
      copyLines.push(`kubectl -n ${ns} create secret generic ${c.to} \\`, ...c.keys.map((k, i) => `  --from-literal=${k}=${fromSecret(ns, c.from, k)}${i < c.keys.length - 1 ? " \\" : ""}`));
    } else {
      const es = s.credentials.externalSecrets;
      copyLines.push(`write each key to ${es.remoteKeyPrefix}/${c.to} in ${es.storeKind} ${es.storeName}, reading it with:`);
      copyLines.push(...c.keys.map((k) => `  ${k}: kubectl -n ${ns} get secret ${c.from} -o jsonpath='{.data.${k}}' | base64 -d`));
    }
  }
  step(
    2,
    "Copy the release's credentials into this environment's credential source (before helm uninstall deletes the Secrets)",
    ...copyLines,
    `# keys the chart's Secret lacks (BASIC_AUTH_*, PLATFORM_ADMIN_PASSWORD on old values) must be added by hand;`,
    `# redis-credentials may be new: Redis holds only a cache here.`,
    `# Weak chart defaults (changeme, my-test-key) carry over as they are: rotate them after the cutover,`,
    `# AUTH_ENCRYPTION_SECRET only together with re-encrypting what the database stores.`,
  );

  step(
    3,
    "Take a dump (the way back if anything below fails)",
    `kubectl -n ${ns} exec deploy/${fullname}-postgres -- sh -c 'pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" -Fc' > ${release}-before-cutover.dump`,
    `test -s ${release}-before-cutover.dump && echo dump ok`,
  );
  step(
    4,
    "Scale the release down: one writer per data directory",
    `kubectl -n ${ns} scale deployment ${fullname}-mcpgateway ${fullname}-postgres ${fullname}-redis --replicas=0`,
    // Pod templates carry only app: <fullname>-<component> (templates/deployment-postgres.yaml:26-27).
    ...["mcpgateway", "postgres", "redis"].map((c) => `kubectl -n ${ns} wait --for=delete pod -l app=${fullname}-${c} --timeout=180s`),
  );
  step(5, "Uninstall the release (the kept claims stay)", `helm uninstall ${release} -n ${ns}`, ...claims.map((st) => `kubectl -n ${ns} get pvc ${s[st].persistence.existingClaim}    # still Bound`));
  step(6, "Check the cluster", `npm run preflight -- ${env}    # adopted claims Bound and free, Secrets present, CRDs, classes`);
  step(
    7,
    "Deploy",
    ...(input.application
      ? [`npm run generate && git commit -am "${env}: take over Helm release ${release}" && git push`, `argocd app sync ${input.application}`]
      : [`npm run generate && kubectl apply -k overlays/${env}`]),
  );
  step(
    8,
    "Watch the migration bring the schema to this version",
    ...(input.migrationJob
      ? [`kubectl -n ${ns} logs -f job/${input.migrationJob}`, `kubectl -n ${ns} wait --for=condition=complete job/${input.migrationJob} --timeout=${s.migration.activeDeadlineSeconds}s`]
      : [`kubectl -n ${ns} logs -f deploy/mcp-gateway    # every gateway pod migrates under an advisory lock`]),
  );
  step(
    9,
    "Verify: the gateway answers and accepts a token the release issued before",
    `npm run verify -- ${env} --token-file OLD_TOKEN_FILE    # a JWT issued by the release; 401 means JWT_SECRET_KEY did not carry over`,
  );
  step(
    10,
    "Roll back if verify fails",
    `npm run teardown -- ${env}    # removes this environment's workloads; claims are never deleted without --delete-data`,
    `helm install ${release} <chart> --version <the release's chart version> -n ${ns} -f <the release's values>    # Helm re-adopts the kept claims`,
    `# if the migration of step 8 ran, the old gateway may not read the new schema: restore the dump of step 3`,
    `kubectl -n ${ns} exec -i deploy/${fullname}-postgres -- sh -c 'pg_restore --clean --if-exists -U "$POSTGRES_USER" -d "$POSTGRES_DB"' < ${release}-before-cutover.dump`,
  );
  return out.join("\n") + "\n";
}
