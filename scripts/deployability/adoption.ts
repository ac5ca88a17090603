// Taking over a Helm release's data (settings.migrateFromHelm): an adopted claim survives `helm uninstall` only
// when it carries helm.sh/resource-policy: keep (runbook step 1, `npm run notes -- <env> --migrate-from-helm`).
// Nothing offline can see the live annotation, so the environment declares it (migrateFromHelm.claimsKept);
// until then every workload that mounts an adopted claim is reported.
import type { Environment, Hit } from "./types.ts";
import { arr, podOf, rec, str } from "./model.ts";

export function adoption(env: Environment): Hit[] {
  const s = env.settings;
  const adopted = new Set(
    (["postgres", "redis"] as const).flatMap((store) => {
      const p = s[store].persistence;
      return p.enabled && p.existingClaim ? [p.existingClaim] : [];
    }),
  );
  if (!adopted.size || !s.migrateFromHelm || s.migrateFromHelm.claimsKept) return [];
  const hits: Hit[] = [];
  for (const o of env.index.ofKind("Deployment", "StatefulSet")) {
    const pod = podOf(o);
    if (!pod) continue;
    arr(rec(pod.spec).volumes).forEach((v, i) => {
      const claim = str(rec(rec(v).persistentVolumeClaim).claimName);
      if (!claim || !adopted.has(claim)) return;
      const release = s.migrateFromHelm?.release;
      hits.push({
        rule: "adopted-claim-kept",
        obj: o,
        path: `${pod.path}/volumes/${i}`,
        message:
          `mounts the adopted claim ${claim}, but nothing confirms it carries helm.sh/resource-policy: keep` +
          (release ? `: \`helm uninstall ${release}\` would delete it with its data` : "") +
          `; annotate it (npm run notes -- ${env.name} --migrate-from-helm${release ? ` ${release}` : " RELEASE"}, step 1), then set migrateFromHelm.claimsKept: true`,
      });
    });
  }
  return hits;
}
