import { imageReference, instantiate } from "../templates.ts";

export default instantiate(imageReference, {
  id: "image-digest",
  title: "Images should be pinned by digest",
  category: "images",
  severity: "warning",
  rationale: "Tags are mutable: the same tag can be re-pushed with different content. Only a digest pins exactly what was reviewed (a warning, not an error: a tag-pinned official image is reproducible enough not to fail the gate).",
  remediation: "Reference images as repository:tag@sha256:<digest> in production overlays.",
  parameters: { pin: "digest" },
});
