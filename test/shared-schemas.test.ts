// Tests that compare with the full schema catalogue some checkouts keep beside the repository (../shared/k8s-schemas).
// A fresh clone has none: then they skip, saying so. .ci/run runs this file in the original checkout.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { SHARED_SCHEMAS_DIR } from "../scripts/lib/paths.ts";
import { refreshSchemas } from "../scripts/schemas.ts";

// Compares with the full catalogue some checkouts keep beside the repository; a fresh clone has none.
describe.skipIf(!fs.existsSync(SHARED_SCHEMAS_DIR))("schemas/ against ../shared/k8s-schemas", () => {
  it("is what `npm run schemas` writes from it (no drift)", async () => {
    const result = await refreshSchemas({ check: true });
    expect(result.missing).toEqual([]);
    expect(result.drift).toEqual({ changed: [], missing: [], stale: [] });
  });
});
if (!fs.existsSync(SHARED_SCHEMAS_DIR)) console.log(`note: ${SHARED_SCHEMAS_DIR} absent: the comparison with the shared catalogue is skipped`);
