// The project's validation defaults, kept light (no validator code) so `validate -h` loads little.
import { defaultSchemaLocations } from "./schema-locations.ts";

export const DEFAULT_KUBERNETES_VERSION = "1.36.2";

/** The shipped schema folder (Kubernetes kinds, then the CRD catalogue in it), then kubeconform's default location. */
export function projectSchemaLocations(): string[] {
  return [...defaultSchemaLocations(), "default"];
}
