// The benchmark evaluates a 10,000-resource corpus and reports its timings (no wall-clock assertion: the
// machine is shared; `npm run bench` prints the numbers).
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { benchPolicy } from "../../policy/bench.ts";
import { gatewaySet, goodSet } from "./fixtures.ts";

describe("benchPolicy", () => {
  it("evaluates a 10,000-resource corpus and reports evaluation time", () => {
    const text = [...goodSet(), ...gatewaySet()].map((o) => stringify(o)).join("---\n");
    const r = benchPolicy([text]);
    expect(r.resources).toBe(10_000);
    expect(r.evaluateMs).toBeGreaterThan(0);
  });
});
