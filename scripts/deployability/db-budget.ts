// The PostgreSQL connection budget: what every client may hold at once (gateway pods at the HPA's maximum
// plus a rolling update's surge, × gunicorn workers × (pool + overflow), plus the other clients of
// data/app.yaml that are rendered) against max_connections minus the superuser reserve.
import type { DatabaseClient, EnvDefault } from "./data.ts";
import type { Environment, Hit } from "./types.ts";
import { arr, containersOf, envOf, type Obj, podOf, rec, str } from "./model.ts";

/** The numeric value of `-c name=N` (or `--name=N`) on a container's command line. */
function serverSetting(o: Obj, name: string): number | undefined {
  const pod = podOf(o);
  for (const { c } of pod ? containersOf(pod, { init: false }) : []) {
    const argv = [...arr(c.command), ...arr(c.args)].map((x) => str(x) ?? "");
    for (let i = 0; i < argv.length; i++) {
      const m = /^(?:--)?([a-z_]+)=(\d+)$/.exec(argv[i] === "-c" ? (argv[i + 1] ?? "") : argv[i]!);
      if (m && m[1] === name) return Number(m[2]);
    }
  }
  return undefined;
}

function envValue(o: Obj, env: Environment, v: EnvDefault): { value: number; source: string } {
  const pod = podOf(o)!;
  const main = containersOf(pod, { init: false })[0];
  const raw = main ? envOf(main.c, env.index.configMaps).get(v.env ?? "") : undefined;
  const n = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
  return n !== undefined ? { value: n, source: `${v.env}=${n}` } : { value: Number(v.default), source: `${v.env} unset: ${v.default} (${v.cite})` };
}

/** Most pods of a workload at once: the HPA's maximum (or replicas), plus maxSurge during a rollout. */
function maxPods(o: Obj, env: Environment): { pods: number; source: string } {
  if (o.kind === "Job" || o.kind === "CronJob") return { pods: 1, source: "one pod" };
  const hpa = env.index.ofKind("HorizontalPodAutoscaler").find((h) => str(rec(rec(h.object.spec).scaleTargetRef).name) === o.name);
  const base = hpa ? Number(rec(hpa.object.spec).maxReplicas) : Number(rec(o.object.spec).replicas ?? 1);
  const surgeRaw = rec(rec(rec(o.object.spec).strategy).rollingUpdate).maxSurge;
  const isRolling = o.kind === "Deployment" && str(rec(rec(o.object.spec).strategy).type) !== "Recreate";
  const surge = !isRolling ? 0 : typeof surgeRaw === "number" ? surgeRaw : Math.ceil((base * Number.parseInt(str(surgeRaw) ?? "25", 10)) / 100);
  return { pods: base + surge, source: `${hpa ? `HPA max ${base}` : `${base} replica(s)`}${surge ? ` + ${surge} surge` : ""}` };
}

function clientConnections(client: DatabaseClient, o: Obj, env: Environment): { total: number; text: string } {
  const { pods, source } = maxPods(o, env);
  if (client.connections !== undefined) return { total: client.connections * pods, text: `${o.name} ${client.connections * pods}` };
  const pool = envValue(o, env, client.pool!);
  const overflow = envValue(o, env, client.overflow!);
  const procs = envValue(o, env, client.processes!);
  const total = pods * procs.value * (pool.value + overflow.value);
  return { total, text: `${o.name} ${pods} pods (${source}) × ${procs.value} workers (${procs.source}) × (${pool.value} + ${overflow.value}) (${pool.source}, ${overflow.source}) = ${total}` };
}

export function connectionBudget(env: Environment): Hit[] {
  const { server, clients } = env.app.database;
  const db = env.index.workloads(server.app).find((o) => o.kind === "StatefulSet" || o.kind === "Deployment");
  if (!db) return [];
  const max = serverSetting(db, "max_connections");
  const reserved = serverSetting(db, "superuser_reserved_connections") ?? server.reserved;
  const limit = (max ?? server.maxConnections) - reserved;
  const parts: string[] = [];
  let total = 0;
  for (const client of clients) {
    for (const o of env.index.workloads(client.app)) {
      const c = clientConnections(client, o, env);
      total += c.total;
      parts.push(c.text);
    }
  }
  if (total <= limit) return [];
  return [
    {
      rule: "db-connection-budget",
      obj: db,
      path: podOf(db)!.path,
      message: `clients may open ${total} connections, PostgreSQL admits ${limit} (max_connections ${max ?? `${server.maxConnections}, the default`}${reserved ? ` − ${reserved} reserved` : ""}; ${server.cite}): ${parts.join("; ")}`,
    },
  ];
}
