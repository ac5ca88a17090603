// Names the mcp-stack Helm chart gives its objects (IBM/mcp-context-forge charts/mcp-stack, v0.9.0 and v1.0.8):
// what the importer adopts and what the cutover runbook names.
const CHART = "mcp-stack";

/** templates/_helpers.tpl:4-15: fullnameOverride, else <release>-<nameOverride|mcp-stack> unless the release contains it. */
export function chartFullname(release: string, values: { global?: { fullnameOverride?: unknown; nameOverride?: unknown } } = {}): string {
  const override = values.global?.fullnameOverride;
  if (typeof override === "string" && override) return override;
  const nameOverride = values.global?.nameOverride;
  const name = typeof nameOverride === "string" && nameOverride ? nameOverride : CHART;
  return release.includes(name) ? release : `${release}-${name}`;
}

/** templates/postgres-pvc.yaml:5 and redis-pvc.yaml. */
export const chartClaim = (fullname: string, store: "postgres" | "redis") => `${fullname}-${store}-pvc`;
