import { namespaceOf, WORKLOAD_KINDS, resolveEnv, type EnvVar, type CheckRule, type Violation } from "@mcp-stack/policy-engine";
import { gatewayContainers, migrationContainers } from "../gateway.ts";

/** postgresql+psycopg://USER[:PASSWORD]@HOST[:PORT]/DB: the psycopg 3 driver the gateway image ships. */
const FORM = /^postgresql\+psycopg:\/\/[^:@/\s]+(:[^@/\s]*)?@[^:/@\s]+(:\d+)?\/[^/?#\s]+(\?\S*)?$/;

/** The URL with `$(VAR)` references replaced by their values, or by a neutral token where the value is not rendered. */
function substitute(raw: string, vars: Map<string, EnvVar>): string {
  return raw.replace(/\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (_, name: string) => {
    const v = vars.get(name)?.value;
    return v ?? (/PORT$/.test(name) ? "5432" : "x");
  });
}

function problem(url: string): string | undefined {
  if (FORM.test(url)) return undefined;
  const scheme = /^([a-z0-9+.-]+):/i.exec(url)?.[1];
  if (scheme?.startsWith("sqlite")) return "uses SQLite: the data would live in the pod (under a read-only /app)";
  if (scheme && scheme !== "postgresql+psycopg") return `uses scheme ${scheme}; the gateway needs postgresql+psycopg:// (psycopg 3)`;
  return "is not of the form postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB (special characters in the password must be URL-encoded)";
}

export default {
  id: "gateway-database-url",
  title: "The gateway and its migration need a well-formed DATABASE_URL",
  category: "gateway",
  severity: "error",
  rationale: "Without DATABASE_URL the gateway silently falls back to SQLite; the URL must use the psycopg 3 driver and its $(VAR) parts must be defined earlier in env, or the kubelet leaves them verbatim.",
  remediation: "Set DATABASE_URL=postgresql+psycopg://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DB) after the POSTGRES_* variables.",
  kinds: WORKLOAD_KINDS,
  check: (o, ctx) =>
    [...gatewayContainers(o), ...migrationContainers(o)].flatMap((c): Violation[] => {
      const { vars, incomplete } = resolveEnv(c.container, c.path, namespaceOf(o), ctx.index);
      const url = vars.get("DATABASE_URL");
      if (!url) return incomplete ? [] : [{ message: `container "${c.name}" does not set DATABASE_URL; the gateway falls back to SQLite`, path: c.path }];
      if (url.raw === undefined) return []; // held in a Secret that is not rendered
      if (url.undefinedRefs.length) {
        return [{ message: `container "${c.name}": DATABASE_URL references ${url.undefinedRefs.map((r) => `$(${r})`).join(", ")} not defined before it`, path: url.path }];
      }
      const p = problem(substitute(url.raw, vars));
      return p ? [{ message: `container "${c.name}": DATABASE_URL ${p}`, path: url.path }] : [];
    }),
} satisfies CheckRule;
