// "Run what can run, for real" (issue 11): the containers' commands, args, env and mounted ConfigMaps are taken from
// the rendered eks overlay (the environment with persistent Redis, backups and Velero hooks) and run against real
// PostgreSQL and Redis servers from Debian's packages, which this suite starts on loopback, on free ports, in temp
// dirs, and stops afterwards. Debian's versions are not the images' (PostgreSQL 15 vs 17, Redis 7 vs 8): every test
// name says which ran, and the suite uses only what both versions share. Without the binaries it is skipped, saying
// so; .ci/run installs them.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderEnv } from "../day2/helpers.ts";
import {
  containerEnv,
  findBinaries,
  freePort,
  mapPaths,
  mountsOf,
  ownedDir,
  run,
  shimDir,
  start,
  tempRoot,
  versionOf,
  waitFor,
  type Any,
} from "./harness.ts";

const bins = findBinaries();
const missing = "missing" in bins ? bins.missing : undefined;

if (missing) {
  describe.skip(`real PostgreSQL and Redis: skipped, ${missing}`, () => {
    it("runs the rendered scripts against real servers", () => {});
  });
}

describe.runIf(!missing)("real servers", async () => {
  const { pgBin, redisServer, redisCli } = bins as Exclude<typeof bins, { missing: string }>;
  const pgVersion = versionOf(path.join(pgBin, "postgres"));
  const redisVersion = versionOf(redisServer);
  const eks = await renderEnv("eks");
  const find = (kind: string, name: string): Any => eks.find((o) => o.kind === kind && o.metadata.name === name)!;
  const podOf = (o: Any): Any => (o.kind === "CronJob" ? o.spec.jobTemplate.spec.template : o.spec.template);
  const containerOf = (o: Any, name: string): Any => {
    const spec = podOf(o).spec;
    return [...(spec.initContainers ?? []), ...spec.containers].find((c: Any) => c.name === name)!;
  };
  const alnum = () => randomBytes(18).toString("base64url").replace(/[^A-Za-z0-9]/g, "x");
  const secrets = {
    "postgres-credentials": { POSTGRES_USER: "mcp", POSTGRES_PASSWORD: alnum() },
    "redis-credentials": { REDIS_PASSWORD: alnum() },
  };
  const PATH = `${pgBin}:/usr/bin:/bin`;

  describe(`PostgreSQL ${pgVersion} from Debian (the image runs postgres:${podOf(find("StatefulSet", "postgres")).spec.containers[0].image.split(":")[1]})`, () => {
    const statefulSet = find("StatefulSet", "postgres");
    const pg = containerOf(statefulSet, "postgres");
    const root = tempRoot("mcp-real-pg-");
    const mounts = mountsOf(pg, root);
    let port = 0;
    let server: ReturnType<typeof start>;
    let env: Record<string, string> = {};
    const log = path.join(root, "postgres.log");
    /** psql as the superuser over TCP, for seeding and comparing (not a rendered command). */
    const psql = (db: string, sql: string) =>
      run([path.join(pgBin, "psql"), "-h", "127.0.0.1", "-p", String(port), "-U", "mcp", "-d", db, "-tAc", sql], {
        PATH,
        PGPASSWORD: secrets["postgres-credentials"].POSTGRES_PASSWORD,
      });

    beforeAll(async () => {
      port = await freePort();
      // PGDATA from the rendered env, under the mapped data volume; PGHOST/PGPORT point psql and pg_ctl at this server.
      env = containerEnv(pg, secrets, { PATH, PGHOST: mounts["/var/run/postgresql"]!, PGPORT: String(port) }, mounts);
      // What the image's entrypoint does before it starts the server: initdb as POSTGRES_USER with its password.
      const pwfile = path.join(mounts["/tmp"]!, "pw");
      fs.writeFileSync(pwfile, env.POSTGRES_PASSWORD!, { mode: 0o600 });
      fs.chownSync(pwfile, fs.statSync(mounts["/tmp"]!).uid, fs.statSync(mounts["/tmp"]!).gid);
      const init = await run(
        [path.join(pgBin, "initdb"), "--no-sync", "-D", env.PGDATA!, "-U", env.POSTGRES_USER!, `--pwfile=${pwfile}`, "--auth-local=trust", "--auth-host=scram-sha-256"],
        env,
        { timeoutMs: 60_000 },
      );
      expect(init.code, init.stderr).toBe(0);
      // The rendered args (args[0] is the image's CMD, postgres); then loopback, the free port and the mapped socket dir.
      const args: string[] = pg.args;
      expect(args[0]).toBe("postgres");
      server = start([path.join(pgBin, "postgres"), ...args.slice(1), "-c", "listen_addresses=127.0.0.1", "-p", String(port), "-k", mounts["/var/run/postgresql"]!], env, log);
      await waitFor(async () => (await run([path.join(pgBin, "pg_isready"), "-h", "127.0.0.1", "-p", String(port)], env)).code === 0, "postgres", log);
      // The entrypoint creates POSTGRES_DB.
      const created = await run([path.join(pgBin, "createdb"), "-h", "127.0.0.1", "-p", String(port), "-U", "mcp", env.POSTGRES_DB!], {
        PATH,
        PGPASSWORD: env.POSTGRES_PASSWORD!,
      });
      expect(created.code, created.stderr).toBe(0);
    }, 90_000);

    afterAll(async () => {
      await server?.stop();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it("starts with the rendered args: max_connections from the connection budget", async () => {
      const flag = (pg.args as string[]).find((a) => a.startsWith("max_connections="))!;
      expect((await psql("postgres", "SHOW max_connections")).stdout.trim()).toBe(flag.split("=")[1]);
    });

    it.each(["startupProbe", "readinessProbe", "livenessProbe"])("the rendered %s (pg_isready) succeeds", async (probe) => {
      const r = await run(pg[probe].exec.command, env);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    });

    it("the Velero pre-backup hook command (CHECKPOINT) runs in the postgres container's environment", async () => {
      const annotations = podOf(statefulSet).metadata.annotations;
      expect(annotations["pre.hook.backup.velero.io/container"]).toBe("postgres");
      const r = await run(JSON.parse(annotations["pre.hook.backup.velero.io/command"]), env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("CHECKPOINT");
    });

    describe("backup and restore Jobs", () => {
      const backup = find("CronJob", "postgres-backup");
      const restore = find("CronJob", "postgres-restore");
      const dump = containerOf(backup, "pg-dump");
      const load = containerOf(restore, "pg-restore");
      // Both Jobs' folders (an emptyDir per pod, filled from / uploaded to S3 by the aws containers) are one folder
      // here: what the dump wrote is what the restore reads.
      const shared = path.join(root, "work");
      const mountsFor = (c: Any) => ({ ...mountsOf(c, path.join(root, c.name)), "/work": ownedDir(shared) });
      const envFor = (c: Any) => containerEnv(c, secrets, { PATH, PGHOST: "127.0.0.1", PGPORT: String(port) }, mountsFor(c));
      const script = (c: Any) => ["/bin/sh", "-c", mapPaths(c.command[2], mountsFor(c))];
      const rows = "SELECT id || ':' || name FROM items ORDER BY id";

      it("the backup Job's script dumps a seeded database into its folder", async () => {
        expect(dump.command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
        const seed = await psql(env.POSTGRES_DB!, "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); INSERT INTO items VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma')");
        expect(seed.code, seed.stderr).toBe(0);
        const r = await run(script(dump), envFor(dump));
        expect(r.code, r.stderr).toBe(0);
        const files = fs.readdirSync(shared).filter((f) => f.endsWith(".dump"));
        expect(files).toHaveLength(1);
        expect(files[0]).toMatch(new RegExp(`^${env.POSTGRES_DB}-\\d{8}T\\d{6}Z\\.dump$`));
        expect(r.stdout).toContain(`wrote ${path.join(shared, files[0]!)}`);
      });

      it("the restore Job's script refuses a database that holds tables", async () => {
        const r = await run(script(load), envFor(load));
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("restore into an empty database only");
      });

      it("the restore Job's script restores the dump into the emptied database, and the data compares equal", async () => {
        const before = (await psql(env.POSTGRES_DB!, rows)).stdout;
        expect(before.trim().split("\n")).toEqual(["1:alpha", "2:beta", "3:gamma"]);
        // README "Restore", step 2: drop and re-create the database.
        const emptied = await psql("postgres", `DROP DATABASE "${env.POSTGRES_DB}" WITH (FORCE)`);
        expect(emptied.code, emptied.stderr).toBe(0);
        expect((await psql("postgres", `CREATE DATABASE "${env.POSTGRES_DB}"`)).code).toBe(0);
        const r = await run(script(load), envFor(load));
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/restored .*\.dump/);
        expect((await psql(env.POSTGRES_DB!, rows)).stdout).toBe(before);
      });
    });

    it("the rendered preStop command (pg_ctl fast stop) stops the server", async () => {
      const r = await run(pg.lifecycle.preStop.exec.command, env, { timeoutMs: 90_000 });
      expect(r.code).toBe(0);
      // pg_ctl -m fast waits for the server to stop before it exits 0; the bound only guards against a hang.
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([server.exited.then(() => "stopped"), new Promise((res) => (timer = setTimeout(() => res("running"), 90_000)))]);
      clearTimeout(timer);
      expect(outcome).toBe("stopped");
    });
  });

  describe(`Redis ${redisVersion} from Debian (the image runs redis:${find("Deployment", "redis").spec.template.spec.containers[0].image.split(":")[1]})`, () => {
    const deployment = find("Deployment", "redis");
    const redis = containerOf(deployment, "redis");
    const configMapName = podOf(deployment).spec.volumes.find((v: Any) => v.configMap).configMap.name;
    const config = find("ConfigMap", configMapName);
    const root = tempRoot("mcp-real-redis-");
    const mounts = mountsOf(redis, root);
    const log = path.join(root, "redis.log");
    let port = 0;
    let server: ReturnType<typeof start>;
    let env: Record<string, string> = {};

    beforeAll(async () => {
      port = await freePort();
      // The Service's port and loopback, given to the binaries (the rendered config keeps its own port and bind).
      const shims = shimDir(root, {
        "redis-server": { binary: redisServer, after: ["--port", String(port), "--bind", "127.0.0.1"] },
        "redis-cli": { binary: redisCli, before: ["-p", String(port)] },
      });
      env = containerEnv(redis, secrets, { PATH: `${shims}:/usr/bin:/bin` }, mounts);
      // The mounted ConfigMap: redis.conf as rendered, its paths mapped.
      const confDir = mounts["/usr/local/etc/redis"]!;
      fs.writeFileSync(path.join(confDir, "redis.conf"), mapPaths(config.data["redis.conf"], mounts));
      expect(redis.command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
      server = start(["/bin/sh", "-c", mapPaths(redis.command[2], mounts)], env, log);
      await waitFor(async () => (await run(["redis-cli", "PING"], env)).stdout.trim() === "PONG", "redis-server", log);
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it("starts with the rendered redis.conf and the password include the start script writes (mode 0600)", async () => {
      const include = path.join(mounts["/tmp"]!, "auth.conf");
      expect(fs.readFileSync(include, "utf8")).toBe(`requirepass "${secrets["redis-credentials"].REDIS_PASSWORD}"\n`);
      expect(fs.statSync(include).mode & 0o077).toBe(0);
      const appendonly = await run(["redis-cli", "CONFIG", "GET", "appendonly"], env);
      expect(appendonly.stdout.split("\n").map((l) => l.trim())).toContain(config.data["redis.conf"].includes("appendonly yes") ? "yes" : "no");
    });

    it("refuses unauthenticated clients", async () => {
      const r = await run([redisCli, "-h", "127.0.0.1", "-p", String(port), "PING"], { PATH: "/usr/bin:/bin" });
      expect(r.stdout + r.stderr).toContain("NOAUTH");
      expect(r.stdout.trim()).not.toBe("PONG");
    });

    it.each(["readinessProbe", "livenessProbe"])("the rendered %s (redis-cli PING with REDISCLI_AUTH) succeeds, and fails with a wrong password", async (probe) => {
      const ok = await run(redis[probe].exec.command, env);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      const wrong = await run(redis[probe].exec.command, { ...env, REDISCLI_AUTH: "wrong" });
      expect(wrong.code).not.toBe(0);
    });
  });
});

describe("CI brings the servers", () => {
  it(".ci/run installs postgresql and redis-server from Debian's packages when they are missing", () => {
    const ci = fs.readFileSync(new URL("../../.ci/run", import.meta.url), "utf8");
    expect(ci).toMatch(/if ! ls \/usr\/lib\/postgresql\/\*\/bin\/postgres .*command -v redis-server/);
    expect(ci).toMatch(/apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server/);
    expect(ci.indexOf("apt-get install")).toBeLessThan(ci.lastIndexOf("\nnpm test"));
  });
});
