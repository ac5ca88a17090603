// Application wiring, per image: the rendered pod must match what the pinned image needs (data/app.yaml
// `images`, each fact citing the image's Dockerfile or entrypoint): the user its files belong to, the
// paths it writes (with a read-only root filesystem), the port and address it binds.
import type { ImageFacts } from "./data.ts";
import type { Environment, Hit } from "./types.ts";
import { arr, containersOf, envOf, podOf, rec, str, type Json } from "./model.ts";

const repositoryOf = (image: string) => image.replace(/@sha256:[a-f0-9]+$/, "").replace(/:[^/:]+$/, "");

/** The value of `-flag=value` or `-flag value` in a container's command line. */
function argValue(c: Json, flag: string): string | undefined {
  const argv = [...arr(c.command), ...arr(c.args)].map((x) => str(x) ?? "");
  for (let i = 0; i < argv.length; i++) {
    if (argv[i]!.startsWith(`${flag}=`)) return argv[i]!.slice(flag.length + 1);
    if (argv[i] === flag) return argv[i + 1];
  }
  return undefined;
}

const under = (p: string, mount: string) => p === mount || p.startsWith(mount.endsWith("/") ? mount : `${mount}/`);

export function imageWiring(env: Environment): Hit[] {
  const hits: Hit[] = [];
  for (const o of env.index.objects) {
    const pod = podOf(o);
    if (!pod) continue;
    const podSc = rec(pod.spec.securityContext);
    for (const { c, name, path } of containersOf(pod)) {
      const facts: ImageFacts | undefined = env.app.images.find((i) => repositoryOf(str(c.image) ?? "") === i.repository);
      if (!facts) continue;
      const sc = rec(c.securityContext);
      const command = arr(c.command).map((x) => str(x) ?? "").join(" ");
      // Writable paths, port and address are the image's own process's: not those of a client command run in it.
      const ownProcess = command === "" || (facts.process !== undefined && new RegExp(facts.process).test(command));
      const vars = envOf(c, env.index.configMaps);
      const uid = (sc.runAsUser ?? podSc.runAsUser) as number | undefined;
      const gid = (sc.runAsGroup ?? podSc.runAsGroup) as number | undefined;
      const groups = [gid, ...arr(podSc.supplementalGroups)].filter((g) => typeof g === "number");
      const u = facts.user;
      const userOk = uid === undefined || u.need === "any" || uid === u.uid || (u.need === "uid-or-gid" && groups.includes(u.gid));
      if (!userOk) {
        hits.push({
          rule: "image-user",
          obj: o,
          path: `${path}/securityContext`,
          message: `container ${name} runs as UID ${uid}${gid !== undefined ? ` GID ${gid}` : ""}, but ${facts.source} owns its files as UID ${u.uid}${u.need === "uid-or-gid" ? ` (group ${u.gid})` : ""} (${u.cite}): reading them fails with EACCES; run as UID ${u.uid}${u.need === "uid-or-gid" ? ` or with group ${u.gid}` : ""}`,
        });
      }
      if (ownProcess && sc.readOnlyRootFilesystem === true) {
        const mounts = arr(c.volumeMounts).map((m) => rec(m)).filter((m) => m.readOnly !== true).map((m) => str(m.mountPath) ?? "");
        for (const w of facts.writable) {
          const base = w.path ?? (w.env ? (vars.get(w.env) ?? w.default) : w.default);
          if (!base) continue;
          const target = `${base}${w.suffix ?? ""}`;
          if (!mounts.some((m) => under(target, m))) {
            hits.push({
              rule: "image-writable-path",
              obj: o,
              path: `${path}/volumeMounts`,
              message: `container ${name} writes ${target}${w.env ? ` (${w.env}${vars.has(w.env) ? "" : " unset"})` : ""} (${facts.source} ${w.cite}), but its root filesystem is read-only and no writable volume is mounted there`,
            });
          }
        }
      }
      const l = facts.listen;
      const listen = Number((l.env && vars.get(l.env)) || (l.arg && argValue(c, l.arg)) || l.default);
      const declared = arr(c.ports).map((p) => rec(p).containerPort).filter((p): p is number => typeof p === "number");
      if (ownProcess && declared.length && !declared.includes(listen)) {
        hits.push({
          rule: "image-port",
          obj: o,
          path: `${path}/ports`,
          message: `container ${name} declares port(s) ${declared.join(", ")} but listens on ${listen} (${l.env ?? l.arg ?? "fixed"}; ${facts.source} ${l.cite})`,
        });
      }
      const a = facts.address;
      if (ownProcess && a && !vars.has(a.env)) {
        hits.push({
          rule: "image-address",
          obj: o,
          path: `${path}/env`,
          message: `container ${name} leaves ${a.env} unset, so it binds ${a.default} (${facts.source} ${a.cite}): ${a.bad}; set ${a.env} (e.g. 0.0.0.0)`,
        });
      }
    }
  }
  return hits;
}
