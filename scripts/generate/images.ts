// The overlay's `images:` entries: every container image (workloads, Jobs, CronJobs, init containers, exporters,
// backup images) that differs between kustomize's build and the model, said once per image name.
import type { Manifest } from "../lib/manifest.ts";
import { objectId } from "../lib/manifest.ts";

interface ImageRef {
  name: string;
  tag?: string;
  digest?: string;
}

/** repository[:tag][@digest]; a registry port (host:5000/x) is part of the name. */
export function parseImage(ref: string): ImageRef {
  const [withTag, digest] = ref.split("@") as [string, string | undefined];
  const slash = withTag.lastIndexOf("/");
  const colon = withTag.lastIndexOf(":");
  const name = colon > slash ? withTag.slice(0, colon) : withTag;
  const tag = colon > slash ? withTag.slice(colon + 1) : undefined;
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

type Container = { name?: string; image?: string };

/** Every container of an object's pod template(s), keyed "<object id>/<container name>". */
function containersOf(o: Manifest): Map<string, string> {
  const out = new Map<string, string>();
  const spec = o.spec as Record<string, any> | undefined;
  const pod = o.kind === "CronJob" ? spec?.jobTemplate?.spec?.template?.spec : o.kind === "Pod" ? spec : spec?.template?.spec;
  for (const c of [...((pod?.initContainers ?? []) as Container[]), ...((pod?.containers ?? []) as Container[])]) {
    if (c.name && c.image) out.set(`${objectId(o)}/${c.name}`, c.image);
  }
  return out;
}

export interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/**
 * One entry per image name whose every use in the build becomes the same image in the model. An image name
 * used with different results (one container bumped, another not) is left to the patches.
 */
export function imageEntries(built: Manifest[], wanted: Manifest[]): ImageEntry[] {
  const have = new Map(built.flatMap((o) => [...containersOf(o)]));
  const want = new Map(wanted.flatMap((o) => [...containersOf(o)]));
  const byName = new Map<string, Set<string>>();
  for (const [key, image] of have) {
    const target = want.get(key);
    if (target === undefined) continue;
    const name = parseImage(image).name;
    byName.set(name, (byName.get(name) ?? new Set()).add(target === image ? `=${image}` : target));
  }
  const entries: ImageEntry[] = [];
  for (const [name, targets] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    if (targets.size !== 1) continue;
    const [target] = [...targets] as [string];
    if (target.startsWith("=")) continue;
    const to = parseImage(target);
    entries.push({
      name,
      ...(to.name !== name ? { newName: to.name } : {}),
      ...(to.tag ? { newTag: to.tag } : {}),
      ...(to.digest ? { digest: to.digest } : {}),
    });
  }
  return entries;
}
