// The deployability model reads rendered YAML with js-yaml (fast) and falls back to the yaml package: both readings
// must give the same objects, kinds, names and lines, and a bad stream the yaml package's message.
import { describe, expect, it } from "vitest";
import { loadEnvironments } from "../../scripts/lib/overlays.ts";
import { renderOverlays } from "../../scripts/lib/render.ts";
import { parseObjects, parseObjectsWithYaml } from "../../scripts/deployability/model.ts";

describe("parseObjects", () => {
  it("reads every rendered overlay as the yaml package does, line for line", async () => {
    const renders = await renderOverlays(loadEnvironments());
    expect(renders.length).toBeGreaterThan(2);
    for (const r of renders) {
      const fast = parseObjects(r.yaml, "rendered.yaml");
      expect(fast.length).toBeGreaterThan(10);
      expect(fast).toEqual(parseObjectsWithYaml(r.yaml, "rendered.yaml"));
    }
  });

  it("comments, empty documents and markers: the same objects at the same lines", () => {
    const text = "# leading\n---\n\n# c\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, annotations: {argocd.argoproj.io/sync-wave: '-1'}}\n---\n---\n...\n--- # x\nkind: Secret\napiVersion: v1\nmetadata:\n  name: b\ndata: {n: 010, o: 0o10, t: True, z: ~}\n";
    const fast = parseObjects(text, "f.yaml");
    expect(fast.map((o) => [o.kind, o.name, o.line, o.wave])).toEqual([["ConfigMap", "a", 5, -1], ["Secret", "b", 12, 0]]);
    expect(fast).toEqual(parseObjectsWithYaml(text, "f.yaml"));
  });

  it("a bad document or one that is no object: the yaml package's message", () => {
    const messageOf = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error("did not throw");
    };
    for (const text of ["apiVersion: v1\nkind: A\n---\nkind: [\n", "apiVersion: v1\nkind: A\n---\n- a\n", "apiVersion: v1\nkind: A\nkind: B\n"]) {
      const expected = messageOf(() => parseObjectsWithYaml(text, "bad.yaml"));
      expect(expected).toMatch(/^document \d/);
      expect(messageOf(() => parseObjects(text, "bad.yaml"))).toBe(expected);
    }
  });
});
