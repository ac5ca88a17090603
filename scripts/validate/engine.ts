// The project's view of the validator package: the same API with the project's defaults (the shipped
// schema folder and its CRD catalogue, then kubeconform's default location; Kubernetes 1.36.2; strict;
// compiled validators under .cache/). check, policy tests and the CLI wrapper all validate through here.
import {
  resolveOptions as resolvePackageOptions,
  validateDocuments as validatePackageDocuments,
  validatePaths as validatePackagePaths,
  type InputDocument,
  type ValidateOptions,
  type ValidationReport,
} from "@mcp-stack/validate";
import { CACHE_DIR } from "../lib/paths.ts";
import { DEFAULT_KUBERNETES_VERSION, projectSchemaLocations } from "./defaults.ts";
import { addSemanticProblems } from "./semantic/report.ts";

export type { InputDocument, ValidateOptions, ValidationReport, ResourceResult, Summary, FieldError } from "@mcp-stack/validate";

export { DEFAULT_KUBERNETES_VERSION, projectSchemaLocations } from "./defaults.ts";

/** The package's options plus the project's own: `semantic` applies the API server's rules (semantic/). */
export type ProjectOptions = Partial<ValidateOptions> & { semantic?: boolean };

export function projectDefaults({ semantic, ...partial }: ProjectOptions = {}): Partial<ValidateOptions> {
  return {
    ...partial,
    ...(semantic ? { annotate: addSemanticProblems } : {}),
    schemaLocations: partial.schemaLocations?.length ? partial.schemaLocations : projectSchemaLocations(),
    kubernetesVersion: partial.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    strict: partial.strict ?? true,
    cacheDir: partial.cacheDir ?? CACHE_DIR,
  };
}

export function resolveOptions(partial: ProjectOptions = {}): ValidateOptions {
  return resolvePackageOptions(projectDefaults(partial));
}

export function validateDocuments(inputs: readonly InputDocument[], partial: ProjectOptions = {}): Promise<ValidationReport> {
  return validatePackageDocuments(inputs, projectDefaults(partial));
}

export function validatePaths(paths: readonly string[], partial: ProjectOptions = {}, ignoreFilenamePatterns: readonly RegExp[] = []): Promise<ValidationReport> {
  return validatePackagePaths(paths, projectDefaults(partial), ignoreFilenamePatterns);
}
