// Agreement between two outcomes of the differential corpus: per case (exit code and every result's
// status) and per mutation file (the multiset of its results' statuses).
import type { Outcome } from "./run.ts";

export interface Agreement {
  total: number;
  agreed: number;
  differences: string[];
}

export function compareCases(expected: Record<string, Outcome>, actual: Record<string, Outcome>): Agreement {
  const out: Agreement = { total: 0, agreed: 0, differences: [] };
  for (const [id, want] of Object.entries(expected)) {
    const got = actual[id];
    out.total++;
    const same = got && got.exit === want.exit && JSON.stringify(got.results) === JSON.stringify(want.results);
    if (same) out.agreed++;
    else out.differences.push(`${id}: kubeconform exit ${want.exit} ${JSON.stringify(want.results)} ${want.stderr}\n   ours exit ${got?.exit} ${JSON.stringify(got?.results)} ${got?.stderr}`);
  }
  return out;
}

/** Per file: the sorted statuses of its results (names can change under mutation, statuses are the verdict). */
function statusesByFile(outcome: Outcome): Map<string, string> {
  const byFile = new Map<string, string[]>();
  for (const r of outcome.results) {
    const parts = r.split("|");
    const file = parts[0]!;
    const list = byFile.get(file) ?? [];
    list.push(parts[parts.length - 1]!);
    byFile.set(file, list);
  }
  return new Map([...byFile].map(([f, s]) => [f, s.sort().join(",")]));
}

/**
 * Where kubeconform is wrong and we keep the better verdict (documented in packages/validate/README.md):
 * go-yaml v2's strict mode calls an explicit key after a merge key (`<<`) a duplicate, although YAML
 * merges let explicit keys override merged ones; and a document of only `...` (a document end marker,
 * valid YAML for no document) is go-yaml's "did not find expected node content".
 */
export function documentedDeviation(expected: Outcome, file: string, text: string | undefined, want = "", got = ""): string | undefined {
  const messages = Object.entries(expected.messages).filter(([k]) => k.startsWith(file + "|")).map(([, m]) => m);
  if (text !== undefined && /^\s*<<:/m.test(text) && messages.some((m) => /already set in map/.test(m))) return "merge key overridden by an explicit key";
  // (results without kind and name share a message key: judged by the statuses, ours empty where theirs is an error)
  if (text !== undefined && hasEndMarkerOnlyDocument(text) && sameBut(want.split(","), got.split(","), "statusError", "")) return "a document of only `...`";
  return undefined;
}

/** `a` is `b` with some `from` statuses in place of `to` ones. */
function sameBut(a: string[], b: string[], from: string, to: string): boolean {
  if (a.length !== b.length) return false;
  const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;
  const changed = count(a, from) - count(b, from);
  if (changed <= 0 || count(b, to) - count(a, to) !== changed) return false;
  return [...new Set([...a, ...b])].every((x) => x === from || x === to || count(a, x) === count(b, x));
}

/** A document (between `---` lines) holding nothing but `...` lines, comments and blank lines. */
export function hasEndMarkerOnlyDocument(text: string): boolean {
  return text
    .split(/^---(?=[ \t\r]|$).*$/m)
    .some((doc) => {
      const lines = doc.split(/\r?\n/).map((l) => l.replace(/(^|\s)#.*$/, "").trim()).filter((l) => l !== "");
      return lines.length > 0 && lines.every((l) => l === "...");
    });
}

/**
 * kubeconform lists additional properties, and the errors of one object's properties, in Go's map
 * order, which changes from run to run: both are compared sorted.
 */
export function normalMessage(msg: string): string {
  const sorted = msg.replace(/additional properties ((?:'(?:[^'\\]|\\.)*'(?:, )?)+) not allowed/g, (_m, list: string) => {
    const names = list.match(/'(?:[^'\\]|\\.)*'/g) ?? [];
    return `additional properties ${names.sort().join(", ")} not allowed`;
  });
  // top-level errors (" - at", after text; nested causes are indented further)
  const [head, ...errors] = sorted.split(/(?<=\S) - at '/);
  return [head, ...errors.sort()].join(" - at '");
}

export function compareMutations(expected: Outcome, actual: Outcome, texts: Record<string, string> = {}): Agreement & { deviations: number } {
  const want = statusesByFile(expected);
  const got = statusesByFile(actual);
  const out: Agreement & { deviations: number } = { total: 0, agreed: 0, differences: [], deviations: 0 };
  for (const [file, statuses] of want) {
    if (got.get(file) !== statuses && documentedDeviation(expected, file, texts[file], statuses, got.get(file))) {
      out.deviations++;
      continue;
    }
    out.total++;
    if (got.get(file) === statuses) out.agreed++;
    else {
      const key = [...Object.keys(expected.messages)].find((k) => k.startsWith(file + "|"));
      const ours = [...Object.keys(actual.messages)].find((k) => k.startsWith(file + "|"));
      out.differences.push(`${file}: kubeconform ${statuses} ${key ? expected.messages[key]!.slice(0, 160) : ""}\n   ours ${got.get(file)} ${ours ? actual.messages[ours]!.slice(0, 160) : ""}`);
    }
  }
  return out;
}

/** Messages of the results sharing a key (run.ts joins them), each normalised, in sorted order. */
function normalMessages(joined: string): string {
  return joined.split("\n|| ").map(normalMessage).sort().join("\n|| ");
}

/** Messages compared where both sides have a result for the same file, kind and name. */
export function compareMessages(expected: Outcome, actual: Outcome, texts: Record<string, string> = {}): Agreement {
  const out: Agreement = { total: 0, agreed: 0, differences: [] };
  for (const [key, msg] of Object.entries(expected.messages)) {
    if (!(key in actual.messages)) continue;
    let want = msg;
    const text = texts[key.slice(0, key.indexOf("|"))];
    if (text !== undefined && hasEndMarkerOnlyDocument(text)) {
      // a document of only `...`: kubeconform's error, our empty document (documented, see documentedDeviation)
      want = msg.split("\n|| ").filter((m) => !m.endsWith("yaml: did not find expected node content")).join("\n|| ");
    }
    out.total++;
    if (normalMessages(actual.messages[key]!) === normalMessages(want)) out.agreed++;
    else out.differences.push(`${key}\n   kubeconform: ${msg}\n   ours:        ${actual.messages[key]}`);
  }
  return out;
}
