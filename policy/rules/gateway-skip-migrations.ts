import { isTrueString, namespaceOf, WORKLOAD_KINDS, resolveEnv, type CheckRule, type Violation } from "@mcp-stack/policy-engine";
import { gatewayContainers, migrationContainers, migrationJobExists } from "../gateway.ts";

const SKIP = "MCPGATEWAY_SKIP_MIGRATIONS";

export default {
  id: "gateway-skip-migrations",
  title: "Gateway pods skip migrations exactly when a migration Job exists",
  category: "gateway",
  severity: "error",
  rationale: "With a migration Job, gateway pods must not migrate concurrently (MCPGATEWAY_SKIP_MIGRATIONS=true); without one, skipping means the schema is never created. The Job itself must never skip.",
  remediation: "Set MCPGATEWAY_SKIP_MIGRATIONS=true on the gateway when the migration Job is rendered, false (or unset) otherwise, and never true in the Job.",
  kinds: WORKLOAD_KINDS,
  check: (o, ctx) => {
    const ns = namespaceOf(o);
    const out: Violation[] = [];
    const gateways = gatewayContainers(o);
    const jobExists = gateways.length > 0 && migrationJobExists(ctx.index, ns);
    for (const c of gateways) {
      const { vars, incomplete } = resolveEnv(c.container, c.path, ns, ctx.index);
      const skip = vars.get(SKIP);
      if (skip && skip.value === undefined) continue;
      const skips = isTrueString(skip?.value);
      if (jobExists && !skips && !(incomplete && !skip)) out.push({ message: `container "${c.name}" does not set ${SKIP}=true although a migration Job runs the migrations`, path: skip?.path ?? c.path });
      if (!jobExists && skips) out.push({ message: `container "${c.name}" sets ${SKIP}=true but no migration Job is rendered: the schema is never migrated`, path: skip!.path });
    }
    for (const c of migrationContainers(o)) {
      const skip = resolveEnv(c.container, c.path, ns, ctx.index).vars.get(SKIP);
      if (isTrueString(skip?.value)) out.push({ message: `migration container "${c.name}" sets ${SKIP}=true and would migrate nothing`, path: skip!.path });
    }
    return out;
  },
} satisfies CheckRule;
