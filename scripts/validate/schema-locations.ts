// The project's schema folders in the package's location terms: a folder of our layout is the
// Kubernetes schemas (kubeconform's layout) plus a crds/ catalogue (CRDs-catalog layout).
import {
  CRDS_CATALOG_LAYOUT,
  loadSchemaText as loadPackageSchemaText,
  type SchemaText,
} from "@mcp-stack/validate/schema-locations";
import { SCHEMAS_DIR } from "../lib/paths.ts";
const fs = process.getBuiltinModule("node:fs");

export { checkKubernetesVersion, parseSchemaLocation, renderSchemaPath, templateValues, type SchemaLocation } from "@mcp-stack/validate/schema-locations";

export function folderSchemaLocations(dir: string): string[] {
  return [dir, `${dir}/crds/${CRDS_CATALOG_LAYOUT}`];
}

/** The shipped schemas/ folder (or the folder in $MCP_STACK_SCHEMAS). */
export function defaultSchemaLocations(): string[] {
  return folderSchemaLocations(SCHEMAS_DIR);
}

/** Reads a schema; downloads are kept in `cacheDir` in kubeconform's -cache layout. */
export async function loadSchemaText(schemaPath: string, remote: boolean, cacheDir?: string): Promise<SchemaText> {
  if (cacheDir) fs.mkdirSync(cacheDir, { recursive: true });
  return loadPackageSchemaText(schemaPath, remote, cacheDir ? { schemaCache: cacheDir } : {});
}
