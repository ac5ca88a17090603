// The stack: every component, in the order a reader meets them. buildStack() is the typed model's
// direct rendering of one environment; the generator projects it onto base, components and overlays.
import type { Settings } from "../settings/schema.ts";
import { InputError } from "../lib/cli.ts";
import { namespace } from "./namespace.ts";
import { namespacePolicies } from "./network.ts";
import { secrets } from "./secrets.ts";
import { storageClass } from "./storage-class.ts";
import { postgres } from "./postgres.ts";
import { redis } from "./redis.ts";
import { migration } from "./migration.ts";
import { gateway } from "./gateway.ts";
import { fastTime } from "./fast-time.ts";
import { routes } from "./routes.ts";
import { pgadmin } from "./pgadmin.ts";
import { redisCommander } from "./redis-commander.ts";
import { monitoring } from "./monitoring.ts";
import { metricsToken } from "./metrics-token.ts";
import { backup } from "./backup.ts";
import { postSync } from "./post-sync.ts";
import { stackVersionLabel } from "./meta.ts";
import { applySyncWaves } from "./sync-waves.ts";
import { applySyncOptions } from "./sync-options.ts";
import type { ComponentName, StackContext, StackObject } from "./types.ts";

const COMPONENTS_OF_THE_STACK: ((ctx: StackContext) => StackObject[])[] = [
  ({ settings }) => namespace(settings),
  ({ settings }) => namespacePolicies(settings),
  secrets,
  ({ settings }) => storageClass(settings),
  ({ settings }) => postgres(settings),
  ({ settings }) => redis(settings),
  ({ settings }) => migration(settings),
  ({ settings }) => gateway(settings),
  ({ settings }) => fastTime(settings),
  ({ settings }) => routes(settings),
  ({ settings }) => pgadmin(settings),
  ({ settings }) => redisCommander(settings),
  ({ settings }) => monitoring(settings),
  ({ settings }) => metricsToken(settings),
  ({ settings }) => backup(settings),
  ({ settings }) => postSync(settings),
];

/** Kustomize Components: the setting that switches each on, read and written in one place. */
const COMPONENTS: Record<ComponentName, { isOn: (s: Settings) => boolean; switchOn: (s: Settings) => Settings; patchesBase?: true }> = {
  pgadmin: { isOn: (s) => s.adminUIs.pgadmin, switchOn: (s) => ({ ...s, adminUIs: { ...s.adminUIs, pgadmin: true } }) },
  "redis-commander": {
    isOn: (s) => s.adminUIs.redisCommander,
    switchOn: (s) => ({ ...s, adminUIs: { ...s.adminUIs, redisCommander: true } }),
  },
  monitoring: { isOn: (s) => s.monitoring.enabled, switchOn: (s) => ({ ...s, monitoring: { ...s.monitoring, enabled: true } }) },
  // Backups go to a volume or to S3: one Component each, never one patched into the other.
  "backup-volume": {
    isOn: (s) => s.backup.enabled && s.backup.target === "volume",
    switchOn: (s) => ({ ...s, backup: { ...s.backup, enabled: true, target: "volume" } }),
  },
  "backup-s3": {
    isOn: (s) => s.backup.enabled && s.backup.target === "s3",
    switchOn: (s) => ({ ...s, backup: { ...s.backup, enabled: true, target: "s3" } }),
  },
  // Credentials from External Secrets Operator (local credentials are the overlay's own secretGenerator).
  "external-secrets": {
    isOn: (s) => s.credentials.source === "externalSecrets",
    switchOn: (s) => ({ ...s, credentials: { ...s.credentials, source: "externalSecrets" } }),
  },
  // The edge: Ingresses, or Gateway API routes (scripts/stack/routes.ts).
  ingress: {
    isOn: (s) => s.ingress.enabled && s.ingress.kind !== "gateway-api",
    switchOn: (s) => ({ ...s, ingress: { ...s.ingress, enabled: true, kind: "ingress" } }),
  },
  "gateway-api": {
    isOn: (s) => s.ingress.enabled && s.ingress.kind === "gateway-api",
    switchOn: (s) => ({ ...s, ingress: { ...s.ingress, enabled: true, kind: "gateway-api" } }),
  },
  // Velero's pod annotations (velero.ts): no objects of its own, a patch of the data stores in base.
  velero: { isOn: (s) => s.velero.enabled, switchOn: (s) => ({ ...s, velero: { ...s.velero, enabled: true } }), patchesBase: true },
};

/** Components whose content patches base objects instead of adding objects (generate/plan.ts renders the patches). */
export const PATCHING_COMPONENTS = new Set((Object.keys(COMPONENTS) as ComponentName[]).filter((c) => COMPONENTS[c].patchesBase));

/** Every feature on (of two variants of one feature, the one listed last): for tests that want everything rendered. */
export function withAllComponents(s: Settings): Settings {
  return Object.values(COMPONENTS).reduce((acc, c) => c.switchOn(acc), s);
}

/** A Component's own content: the default settings with just that Component switched on. */
export const withComponent = (s: Settings, name: ComponentName): Settings => COMPONENTS[name].switchOn(s);

export const COMPONENT_SWITCHES = Object.fromEntries(
  Object.entries(COMPONENTS).map(([name, c]) => [name, c.isOn]),
) as Record<ComponentName, (s: Settings) => boolean>;

export function objectId(o: { apiVersion: string; kind: string; metadata?: { name?: string } }): string {
  return `${o.kind}/${o.metadata?.name ?? "?"}`;
}

/** Builds and validates every object; a schema failure names the object and the field path. */
export function buildStack(ctx: StackContext): StackObject[] {
  const objects = buildStackUnvalidated(ctx);
  for (const so of objects) validateStackObject(so);
  return objects;
}

/** buildStack without the schema validation, for a caller that validates each object itself (validateStackObject). */
export function buildStackUnvalidated(ctx: StackContext): StackObject[] {
  // Argo CD sync order (scripts/stack/sync-waves.ts) and sync options (scripts/stack/sync-options.ts), for every object.
  const objects = applySyncOptions(applySyncWaves(COMPONENTS_OF_THE_STACK.flatMap((component) => component(ctx))));
  // The stack's version on every object's metadata (meta.ts stackVersionLabel), after everything else.
  for (const { object } of objects) object.metadata = { ...object.metadata, labels: { ...object.metadata?.labels, ...stackVersionLabel(ctx.settings) } };
  return objects;
}

/** Validates one object against its schema; a failure names the object and the field path. */
export function validateStackObject({ object, source }: StackObject): void {
  try {
    object.validate();
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/^data/, "") : String(err);
    throw new InputError(`${objectId(object)} is not a valid object: ${message.replace(/\bdata\//g, "/")}`, {
      file: source,
    });
  }
}
