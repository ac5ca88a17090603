// `validate -overlays`: every overlay rendered with kustomize, as in-memory documents for the validator.
// A failed render becomes a document that cannot parse, so it is reported as that overlay's error.
import type { InputDocument } from "@mcp-stack/validate";
import { InputError } from "../lib/cli.ts";
import { loadEnvironments } from "../lib/overlays.ts";
import { OVERLAYS_DIR, relativeToRepo } from "../lib/paths.ts";
import { renderOverlay } from "../lib/render.ts";
const path = process.getBuiltinModule("node:path");

export async function renderedOverlays(overlaysRoot: string = OVERLAYS_DIR): Promise<InputDocument[]> {
  const envs = loadEnvironments(overlaysRoot);
  if (envs.size === 0) throw new InputError(`no overlays to validate under ${relativeToRepo(overlaysRoot)}/`);
  const out: InputDocument[] = [];
  for (const [env, settings] of envs) {
    const filename = relativeToRepo(path.join(overlaysRoot, env));
    try {
      out.push({ filename, content: (await renderOverlay(env, settings, overlaysRoot)).yaml });
    } catch (err) {
      out.push({ filename, content: "", error: err instanceof InputError ? err.format() : String(err) });
    }
  }
  return out;
}
