import { imageReference, instantiate } from "../templates.ts";

export default instantiate(imageReference, {
  id: "image-tag",
  title: "Images must name a tag other than latest (or a digest)",
  category: "images",
  severity: "error",
  rationale: "A missing or `latest` tag makes the deployed version depend on when a node pulled it: rollouts are not reproducible and rollbacks do nothing.",
  remediation: "Pin the image to a release tag (e.g. postgres:17.6) or a digest (@sha256:…).",
  parameters: { pin: "tag" },
});
