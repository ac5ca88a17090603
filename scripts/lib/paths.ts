// Where things live, resolved from the repository root so commands work from any directory.
const { fileURLToPath } = process.getBuiltinModule("node:url");
const path = process.getBuiltinModule("node:path");

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BASE_DIR = path.join(REPO_ROOT, "base");
export const OVERLAYS_DIR = path.join(REPO_ROOT, "overlays");
export const COMPONENTS_DIR = path.join(REPO_ROOT, "components");
/** The strict schemas shipped in the repository (kubeconform layout, refreshed by `npm run schemas`). */
export const SHIPPED_SCHEMAS_DIR = path.join(REPO_ROOT, "schemas");
/** What validate and check read by default: the shipped folder, or a folder of the same layout in $MCP_STACK_SCHEMAS. */
export const SCHEMAS_DIR = process.env.MCP_STACK_SCHEMAS ? path.resolve(process.env.MCP_STACK_SCHEMAS) : SHIPPED_SCHEMAS_DIR;
/** The full schema catalogue some checkouts keep beside the repository: the default source of `npm run schemas`. */
export const SHARED_SCHEMAS_DIR = path.resolve(REPO_ROOT, "..", "shared", "k8s-schemas");
export const CACHE_DIR = process.env.MCP_STACK_CACHE ?? path.join(REPO_ROOT, ".cache");

export function relativeToRepo(file: string): string {
  return path.relative(REPO_ROOT, file) || ".";
}
