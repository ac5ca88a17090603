// Plain `kubectl apply` (no waves: everything is created at once). A container whose application exits
// while a start-up dependency (data/app.yaml) is not up crash-loops until it is; report which, why, and
// for how long. An init container that waits for the dependency (waitedBy) or a bounded wait inside the
// application that outlasts the dependency's start-up avoids it.
import type { Environment, Hit } from "./types.ts";
import { appOf, containersOf, envOf, podOf, rec, str, arr } from "./model.ts";

/** kubelet's crash-loop back-off: 10 s doubling, capped at 5 minutes. */
const BACKOFF_CAP_SECONDS = 300;

export function kubectlApply(env: Environment): Hit[] {
  const hits: Hit[] = [];
  for (const o of env.index.objects) {
    const pod = podOf(o);
    if (!pod || o.kind === "CronJob") continue;
    const main = containersOf(pod, { init: false })[0];
    if (!main) continue;
    const vars = envOf(main.c, env.index.configMaps);
    const initCommands = containersOf(pod).filter((c) => c.init).map((c) => [...arr(c.c.command), ...arr(c.c.args)].map((x) => str(x) ?? "").join(" "));
    for (const dep of env.app.dependencies[appOf(o)] ?? []) {
      if (dep.onMissing !== "exit" || dep.bound) continue;
      if (dep.when && vars.get(dep.when.env) !== dep.when.equals) continue;
      const target = env.index.objects.find((t) => t.kind === dep.target.kind && appOf(t) === dep.target.app);
      if (!target) continue;
      if (dep.waitedBy && initCommands.some((cmd) => new RegExp(dep.waitedBy!).test(cmd))) continue;
      const deadline = target.kind === "Job" ? rec(target.object.spec).activeDeadlineSeconds : undefined;
      const howLong =
        typeof deadline === "number"
          ? `until ${target.kind} ${target.name} has finished (bounded by its activeDeadlineSeconds, ${deadline} s), and after that up to ${BACKOFF_CAP_SECONDS} s more in the kubelet's back-off`
          : `until ${target.kind} ${target.name} is up, and after that up to ${BACKOFF_CAP_SECONDS} s more in the kubelet's back-off`;
      hits.push({
        rule: "apply-crash-loop",
        obj: o,
        path: main.path,
        message: `under kubectl apply container ${main.name} exits while ${dep.what} is missing (${dep.cite}) and crash-loops ${howLong}; no init container waits for it`,
      });
    }
  }
  return hits;
}
