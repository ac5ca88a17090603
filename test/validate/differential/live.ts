// Compares ours with a kubeconform binary on the wide mutation corpus, live, and prints every status
// difference and a sample of message differences:
//   KUBECONFORM=/path/to/kubeconform node test/validate/differential/live.ts [COUNT] [SEED] [--fixtures] [--syntax]
// --fixtures mutates the objects of kubeconform's own fixtures instead of the rendered overlay objects;
// --syntax uses the YAML syntax corpus (syntax.ts) instead of the wide one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compareMessages, compareMutations } from "./compare.ts";
import yaml from "js-yaml";
import { FIXTURES, type Json } from "./corpus.ts";
import { prepare, runKubeconform, runOurs, WORK } from "./run.ts";
import { syntaxMutations } from "./syntax.ts";
import { wideMutations } from "./wide.ts";

const binary = process.env.KUBECONFORM || "kubeconform";
const count = Number(process.argv[2] ?? 3000);
const seed = Number(process.argv[3] ?? 1917);
const locations = prepare();
const dir = path.join(WORK, "mutations");
fs.mkdirSync(dir, { recursive: true });
const texts: Record<string, string> = {};
/** The resources of kubeconform's fixtures that parse (Lists and broken files left out). */
function fixtureObjects(): Json[] {
  const dir = path.join(FIXTURES, "fixtures");
  const out: Json[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    try {
      for (const doc of yaml.loadAll(fs.readFileSync(path.join(dir, file), "utf8")) as Json[]) {
        if (doc && typeof doc === "object" && !Array.isArray(doc) && typeof doc.kind === "string" && doc.kind !== "List") out.push(doc);
      }
    } catch {
      // a fixture that is broken on purpose
    }
  }
  return out;
}

const sources = process.argv.includes("--fixtures") ? fixtureObjects() : undefined;
const corpus = process.argv.includes("--syntax") ? syntaxMutations(count, seed, sources) : wideMutations(count, seed, sources);
for (const m of corpus) {
  fs.writeFileSync(path.join(dir, `${m.id}.yaml`), m.text);
  texts[`@W/mutations/${m.id}.yaml`] = m.text;
}
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "live-cache-"));
for (const [name, args] of [["strict", ["@S", "-strict", "@W/mutations"]], ["loose", ["@S", "@W/mutations"]]] as const) {
  const theirs = runKubeconform(binary, { id: name, args: [...args] }, locations);
  const ours = await runOurs({ id: name, args: [...args] }, locations, cacheDir);
  const a = compareMutations(theirs, ours, texts);
  const m = compareMessages(theirs, ours, texts);
  console.log(`${name}: statuses ${a.agreed}/${a.total} (${((a.agreed / a.total) * 100).toFixed(2)} %), ${a.deviations} documented deviations; messages ${m.agreed}/${m.total} (${((m.agreed / m.total) * 100).toFixed(2)} %)`);
  for (const d of a.differences) console.log(`  ${d}`);
  if (process.env.MESSAGES) for (const d of m.differences.slice(0, Number(process.env.MESSAGES))) console.log(`  ${d}`);
}
fs.rmSync(cacheDir, { recursive: true, force: true });
if (!process.env.KEEP) fs.rmSync(WORK, { recursive: true, force: true });
else console.log(`corpus kept in ${WORK}`);
