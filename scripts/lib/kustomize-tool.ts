// Which kustomize runs: $KUSTOMIZE, else the standalone binary on PATH, else kubectl's built-in copy; found and
// identified from the file system alone (starting it would cost a fork of this whole process). Light: the
// generator's memo keys on the identity without loading the kustomize runner.
import { executablePath } from "./child.ts";
const fs = process.getBuiltinModule("node:fs");

export interface KustomizeTool {
  cmd: string;
  args: string[];
}

/** The tool found, per KUSTOMIZE and PATH (a process that changes them, a test say, gets the tool they name). */
let found: { for: string; tool: KustomizeTool } | undefined;

export function kustomizeTool(): KustomizeTool {
  const override = process.env.KUSTOMIZE;
  const key = `${override ?? ""}\0${process.env.PATH ?? ""}`;
  if (found?.for === key) return found.tool;
  const tool = override ? { cmd: override, args: ["build"] } : executablePath("kustomize") ? { cmd: "kustomize", args: ["build"] } : { cmd: "kubectl", args: ["kustomize"] };
  found = { for: key, tool };
  return tool;
}

/**
 * The tool's file (path, device, inode, size, modification time), or "none": part of every kustomize cache key and
 * of the generator's code fingerprint, so an upgraded or different binary invalidates both. (A wrapper script named
 * by $KUSTOMIZE is identified by its own file.)
 */
export function kustomizeIdentity(): string {
  const file = executablePath(kustomizeTool().cmd);
  const st = file ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
  return st ? `${file}:${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}` : "none";
}
