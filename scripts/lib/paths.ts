// Where things live, resolved from the repository root so commands work from any directory.
import { fileURLToPath } from "node:url";
import path from "node:path";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BASE_DIR = path.join(REPO_ROOT, "base");
export const OVERLAYS_DIR = path.join(REPO_ROOT, "overlays");
export const COMPONENTS_DIR = path.join(REPO_ROOT, "components");
/** Offline JSON schemas shipped beside the project (../shared/k8s-schemas); overridable for other layouts. */
export const SHARED_SCHEMAS_DIR =
  process.env.MCP_STACK_SCHEMAS ?? path.resolve(REPO_ROOT, "..", "shared", "k8s-schemas");
export const CACHE_DIR = process.env.MCP_STACK_CACHE ?? path.join(REPO_ROOT, ".cache");

export function relativeToRepo(file: string): string {
  return path.relative(REPO_ROOT, file) || ".";
}
