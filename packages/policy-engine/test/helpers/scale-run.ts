// Run by config-and-scale.test.ts in a process of its own (with a small --stack-size): parses COUNT ConfigMaps in one
// file, evaluates one rule that finds each of them, renders both reports and prints what it saw as JSON.
import { createEngine, parseManifests, renderJson, renderText } from "../../src/index.ts";

const count = Number(process.argv[2]);
const doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n  A: b\n";
const engine = createEngine();
const objects = parseManifests(Array.from({ length: count }, () => doc).join("---\n"), "big.yaml");
const report = engine.evaluate(objects, { rules: engine.rules.filter((r) => r.id === "not-default-namespace") });
const text = renderText([report]);
process.stdout.write(
  JSON.stringify({ objects: objects.length, findings: report.findings.length, lastLine: text.trimEnd().split("\n").at(-1), jsonObjects: JSON.parse(renderJson([report])).summary.objects }),
);
