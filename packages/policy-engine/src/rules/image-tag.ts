import { asString, eachContainer, parseImage, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "image-tag",
  title: "Images must name a tag other than latest (or a digest)",
  category: "images",
  severity: "error",
  rationale: "A missing or `latest` tag makes the deployed version depend on when a node pulled it: rollouts are not reproducible and rollbacks do nothing.",
  remediation: "Pin the image to a release tag (e.g. postgres:17.6) or a digest (@sha256:…).",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const image = asString(c.container.image);
      const path = `${c.path}/image`;
      if (!image || image.trim() === "") return { message: `container "${c.name}" has no image`, path: c.path };
      const { tag, digest } = parseImage(image);
      if (digest) return undefined;
      if (!tag) return { message: `image ${image} of container "${c.name}" has no tag`, path };
      return tag === "latest" ? { message: `image ${image} of container "${c.name}" uses the latest tag`, path } : undefined;
    }),
} satisfies CheckRule;
