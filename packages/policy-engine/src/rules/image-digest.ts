import { asString, eachContainer, parseImage, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "image-digest",
  title: "Images should be pinned by digest",
  category: "images",
  severity: "warning",
  rationale: "Tags are mutable: the same tag can be re-pushed with different content. Only a digest pins exactly what was reviewed (a warning, not an error: see policy/profiles.ts).",
  remediation: "Reference images as repository:tag@sha256:<digest> in production overlays.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const image = asString(c.container.image);
      if (!image || parseImage(image).digest?.startsWith("sha256:")) return undefined;
      return { message: `image ${image} of container "${c.name}" is not pinned by digest`, path: `${c.path}/image` };
    }),
} satisfies CheckRule;
