// Conventions for finding the MCP gateway and its migration Job in any rendered set: our generator's
// labels (app.kubernetes.io/component gateway|migration) and, for manifests from elsewhere, the image
// and the migration command.
import { asArray, asString, containersOf, kindOf, podTemplateOf, type ContainerRef, type Json, type ObjectIndex, type K8sObject } from "@mcp-stack/policy-engine";

const COMPONENT = "app.kubernetes.io/component";
const GATEWAY_IMAGE = /mcp-context-forge|mcpgateway/i;
const MIGRATION_COMMAND = /bootstrap_db|alembic\s+upgrade/;

function commandLine(c: Json): string {
  return [...asArray(c.command), ...asArray(c.args)].filter((s) => typeof s === "string").join(" ");
}

/** A Job (or any workload) that runs the gateway's database migration. */
export function isMigrationWorkload(o: K8sObject): boolean {
  const template = podTemplateOf(o);
  if (!template) return false;
  if (template.labels[COMPONENT] === "migration") return true;
  return containersOf(template, { includeInit: false }).some((c) => MIGRATION_COMMAND.test(commandLine(c.container)));
}

/** Gateway containers of a long-running workload; none for Jobs (the migration Job runs the same image). */
export function gatewayContainers(o: K8sObject): ContainerRef[] {
  const kind = kindOf(o);
  if (kind === "Job" || kind === "CronJob") return [];
  const template = podTemplateOf(o);
  if (!template || isMigrationWorkload(o)) return [];
  const containers = containersOf(template, { includeInit: false });
  const byImage = containers.filter((c) => GATEWAY_IMAGE.test(asString(c.container.image) ?? ""));
  if (byImage.length > 0) return byImage;
  return template.labels[COMPONENT] === "gateway" ? containers.slice(0, 1) : [];
}

/** The migration containers of a migration workload. */
export function migrationContainers(o: K8sObject): ContainerRef[] {
  const template = podTemplateOf(o);
  if (!template || !isMigrationWorkload(o)) return [];
  const containers = containersOf(template, { includeInit: false });
  const running = containers.filter((c) => MIGRATION_COMMAND.test(commandLine(c.container)) || GATEWAY_IMAGE.test(asString(c.container.image) ?? ""));
  return running.length > 0 ? running : containers.slice(0, 1);
}

export function migrationJobExists(index: ObjectIndex, namespace: string): boolean {
  return index.workloads(namespace).some((w) => (kindOf(w.object) === "Job" || kindOf(w.object) === "CronJob") && isMigrationWorkload(w.object));
}

