// The policy over 10,000 resources must take well under a second (evaluation; parsing is reported too).
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { benchPolicy } from "../../policy/bench.ts";
import { gatewaySet, goodSet } from "./fixtures.ts";

describe("benchPolicy", () => {
  it("evaluates a 10,000-resource corpus in under a second", () => {
    const text = [...goodSet(), ...gatewaySet()].map((o) => stringify(o)).join("---\n");
    const r = benchPolicy([text]);
    expect(r.resources).toBe(10_000);
    expect(r.evaluateMs).toBeLessThan(1000);
  });
});
