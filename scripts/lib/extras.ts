// Hand-written extras of an overlay (settings extraResources, extraPatches): the files they name, and which of
// them a kustomize failure comes from. generate checks the files (generate/extras.ts) and traces a failure its
// checks did not foresee; render traces one in an overlay generated earlier. Either way the message names the
// setting, its line and the file, never a scratch folder.
import type { Settings } from "../settings/schema.ts";
import { lineOfSetting, SettingsError } from "../settings/load.ts";
import { InputError } from "./cli.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");

export interface ExtraFile {
  /** Key path in settings.yaml, e.g. extraPatches.0.path. */
  key: string;
  /** As written in settings (relative to the overlay folder). */
  file: string;
  /** Repository-relative, for messages. */
  shown: string;
  abs: string;
  /** The overlay folder, repository-relative with a trailing slash. */
  folder: string;
}

export function extraFiles(s: Settings, env: string, root: string): ExtraFile[] {
  const dir = path.posix.join("overlays", env);
  return [
    ...s.extraResources.map((f, i) => ({ key: `extraResources.${i}`, file: f })),
    ...s.extraPatches.map((p, i) => ({ key: `extraPatches.${i}.path`, file: p.path })),
  ].map((x) => ({ ...x, shown: path.posix.join(dir, x.file), abs: path.join(root, "overlays", env, x.file), folder: `${dir}/` }));
}

/** Builds the overlay with only the first `resources` extra resources and the first `patches` extra patches; throws kustomize's InputError. */
export type ExtrasAttempt = (resources: string[], patches: number) => Promise<void>;

/**
 * The extra whose addition makes kustomize fail: the overlay without extras, then resources one by one, then patches
 * one by one. A SettingsError naming its key, line and file with kustomize's message; `original` when the overlay
 * fails without any extra (not theirs to blame).
 */
export async function traceExtraFailure(s: Settings, env: string, root: string, attempt: ExtrasAttempt, original: InputError): Promise<Error> {
  const files = extraFiles(s, env, root);
  const steps: { key: string; shown: string; resources: string[]; patches: number }[] = [
    ...s.extraResources.map((_, i) => ({ key: `extraResources.${i}`, resources: s.extraResources.slice(0, i + 1), patches: 0 })),
    ...s.extraPatches.map((_, i) => ({ key: `extraPatches.${i}.path`, resources: s.extraResources, patches: i + 1 })),
  ].map((x) => ({ ...x, shown: files.find((f) => f.key === x.key)!.shown }));
  const fails = async (resources: string[], patches: number): Promise<string | undefined> => {
    try {
      await attempt(resources, patches);
      return undefined;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return err.message;
    }
  };
  if ((await fails([], 0)) !== undefined) return original;
  let failure: { key: string; shown: string; message: string } | undefined;
  for (const step of steps) {
    const message = await fails(step.resources, step.patches);
    if (message !== undefined) {
      failure = { key: step.key, shown: step.shown, message };
      break;
    }
  }
  const text = fs.readFileSync(path.join(root, "overlays", env, "settings.yaml"), "utf8");
  const key = failure?.key ?? (s.extraPatches.length ? "extraPatches" : "extraResources");
  return new SettingsError(`overlays/${env}/settings.yaml`, [
    {
      path: key,
      message: `${failure ? `${failure.shown}: ` : ""}${(failure?.message ?? original.message).replace(/^kustomize build failed: /, "kustomize cannot apply it: ")}`,
      expected: "a manifest or patch kustomize can apply to this overlay",
      line: lineOfSetting(text, key),
    },
  ]);
}
