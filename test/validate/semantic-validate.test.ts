// `npm run validate -- --semantic` and the gate: the API server's semantic rules on rendered objects. Off by
// default so validate's verdicts stay identical to kubeconform's.
import { describe, expect, it } from "vitest";
import { validateDocuments } from "../../scripts/validate/engine.ts";
import { runValidate, tempDir } from "./helpers.ts";
import fs from "node:fs";
import path from "node:path";

const BAD = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
  namespace: mcp
spec:
  schedule: every day
  timeZone: Mars/Olympus
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: dump
              image: ghcr.io/IBM/Mcp Context Forge
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: fine
data:
  a: b
`;

describe("validate --semantic", () => {
  it("is off by default: the schema verdict alone (kubeconform's)", async () => {
    const r = await validateDocuments([{ filename: "bad.yaml", content: BAD }], { workers: 1 });
    expect(r.resources.map((x) => x.status)).toEqual(["statusValid", "statusValid"]);
  });

  it("with semantic on, the API server's refusals become invalid results with path and rule", async () => {
    const r = await validateDocuments([{ filename: "bad.yaml", content: BAD }], { workers: 1, semantic: true });
    const [cron, cm] = r.resources;
    expect(cron!.status).toBe("statusInvalid");
    expect(cron!.validationErrors!.map((e) => e.path)).toEqual([
      "/spec/schedule",
      "/spec/timeZone",
      "/spec/jobTemplate/spec/template/spec/containers/0/image",
    ]);
    expect(cron!.msg).toMatch(/"every day": expected exactly 5 fields.*\(rule cron-schedule\)/);
    expect(cron!.msg).toMatch(/rule time-zone/);
    expect(cron!.msg).toMatch(/rule image-reference/);
    expect(cm!.status).toBe("statusValid");
    expect(r.summary).toMatchObject({ valid: 1, invalid: 1 });
  });

  it("is a command-line flag (-semantic or --semantic)", async () => {
    const file = path.join(tempDir(), "bad.yaml");
    fs.writeFileSync(file, BAD);
    for (const flag of ["-semantic", "--semantic"]) {
      const r = await runValidate([flag, "-summary", file]);
      expect(r.stdout).toContain("Valid: 1, Invalid: 1");
      expect(r.status).toBe(1);
    }
    expect((await runValidate(["-summary", file])).stdout).toContain("Valid: 2, Invalid: 0");
  });
});
