// The YAML syntax corpus: text mutations of rendered objects aimed at go-yaml v2's scanner and parser
// (where js-yaml and go-yaml could disagree on whether a document is YAML, and on the error's words
// and line): stray indicators, broken indentation and tabs, joined and split lines, unclosed quotes
// and flow collections, block scalar headers, anchors, aliases and tags, document markers and
// directives in the middle, long keys, control and Unicode line-break characters (also past go-yaml's
// 512-byte read buffer), escapes, comments and colons in odd places, CR-only line ends. Deterministic
// (seeded), so the verdicts recorded from kubeconform in recorded.json hold on every machine.
import yaml from "js-yaml";
import { loadSources, prng, type Json, type Mutation } from "./corpus.ts";

export const SYNTAX_OPS = [
  "insert-indicator", "insert-indicator", "delete-char", "indent-shift", "indent-shift", "join-lines", "split-line", "unclosed-quote",
  "flow-break", "block-scalar", "anchor-alias", "tag", "doc-marker", "directive", "long-key", "odd-char", "escape", "comment-colon",
  "line-ends", "sequence-oddity",
] as const;

const INDICATORS = [": ", ":", "- ", "-", "? ", "?", "{", "}", "[", "]", ",", '"', "'", "&", "*", "!", "|", ">", "%", "@", "`", "#", " #", "\t", "\\", "&a ", "*a", "!!str "];
const ODD_CHARS = ["\u0085", "\u2028", "\u2029", "\u00a0", "\ufeff", "\u0080", "\u009f", "\u0000", "\u007f", "\u0001", "\u001b", "\r", "\u00e9", "\ud83d\ude00", "\ufffe", "\ufffd"];
const ESCAPES = ["\\x41", "\\u00e9", "\\U0001F600", "\\N", "\\_", "\\L", "\\P", "\\/", "\\'", "\\e", "\\0", "\\a", "\\q", "\\x4", "\\uD800", "\\u12G4", "\\ ", "\\\t", "\\"];
const BLOCK_HEADERS = ["|", "|-", "|+", ">", ">-", "|2", "|0", "|1-", "|-1", "| x", "|#c", "| #c", ">10", "|++", "|\t"];

export function syntaxMutations(count: number, seed = 2027, sources: Json[] = loadSources()): Mutation[] {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const out: Mutation[] = [];
  for (let n = 0; n < count; n++) {
    const object = sources[Math.floor(random() * sources.length)]!;
    const text = yaml.dump(object, { lineWidth: -1, noRefs: true });
    const op = pick(SYNTAX_OPS);
    let mutated = syntaxOp(op, text, random, pick);
    if (random() < 0.2) mutated = syntaxOp(pick(SYNTAX_OPS), mutated, random, pick);
    out.push({ id: `s${String(n).padStart(4, "0")}-${op}`, op, text: mutated });
  }
  return out;
}

function syntaxOp(op: string, text: string, random: () => number, pick: <T>(xs: readonly T[]) => T): string {
  const lines = text.split("\n");
  const lineIndex = () => Math.floor(random() * Math.max(1, lines.length - 1));
  const at = (line: string) => Math.floor(random() * (line.length + 1));
  const indentOf = (line: string) => /^ */.exec(line)![0].length;
  const valueLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(?:- )?[A-Za-z0-9_./-]+: \S/.test(l));
  const withValue = (f: (prefix: string, value: string) => string) => {
    if (!valueLines.length) return text;
    const [line, i] = pick(valueLines);
    const m = /^(\s*(?:- )?[A-Za-z0-9_./-]+: )(.*)$/s.exec(line)!;
    lines[i] = f(m[1]!, m[2]!);
    return lines.join("\n");
  };
  switch (op) {
    case "insert-indicator": {
      const i = lineIndex();
      const line = lines[i]!;
      const c = at(line);
      lines[i] = line.slice(0, c) + pick(INDICATORS) + line.slice(c);
      return lines.join("\n");
    }
    case "delete-char": {
      const i = lineIndex();
      const line = lines[i]!;
      // prefer the characters that carry structure
      const special = [...line].map((ch, k) => [ch, k] as const).filter(([ch]) => ":-\"'[]{}, ".includes(ch));
      const k = special.length && random() < 0.7 ? pick(special)[1] : Math.floor(random() * line.length);
      lines[i] = line.slice(0, k) + line.slice(k + 1);
      return lines.join("\n");
    }
    case "indent-shift": {
      const i = Math.min(lines.length - 1, 1 + Math.floor(random() * Math.max(1, lines.length - 2)));
      const line = lines[i]!;
      const indent = indentOf(line);
      const shift = pick([-3, -2, -1, 1, 2, 3, 4]);
      if (random() < 0.25) lines[i] = pick(["\t", " \t", "\t ", "  \t"]) + line.trimStart();
      else lines[i] = " ".repeat(Math.max(0, indent + shift)) + line.trimStart();
      return lines.join("\n");
    }
    case "join-lines": {
      const i = lineIndex();
      lines.splice(i, 2, lines[i]! + pick([" ", "", ", ", " # "]) + (lines[i + 1] ?? "").trimStart());
      return lines.join("\n");
    }
    case "split-line": {
      const i = lineIndex();
      const line = lines[i]!;
      const c = at(line);
      lines.splice(i, 1, line.slice(0, c), " ".repeat(pick([0, indentOf(line), indentOf(line) + 2, indentOf(line) + 1])) + line.slice(c));
      return lines.join("\n");
    }
    case "unclosed-quote":
      return withValue((p, v) => p + pick([`"${v}`, `'${v}`, `"${v}'`, `'${v}"`, `"${v}\\"`, `'${v}''`, `"${v}" x`, `'${v}' x`, `"${v}"x`, `"${v}\n${v}"`, `'${v}\n\n  ${v}'`]));
    case "flow-break": {
      const i = lineIndex();
      lines[i] = lines[i]!.replace(/: (.*)$/, (_m, v: string) => `: ${pick([`{a: ${v}`, `[${v}`, `{a: ${v}]`, `[${v}}`, `{a: ${v},}`, `[${v},]`, `[${v}, , x]`, `{a: ${v}, , b: 1}`, `{${v}}`, `[a: ${v}]`, `{a: [${v}}`, `{a: 1\n  b: 2}`, `[1,\n2]`, `{? a: ${v}}`, `[? a : ${v}]`, `{a: ${v}} x`, `[${v}]: x`])}`);
      return lines.join("\n");
    }
    case "block-scalar":
      return withValue((p, v) => {
        const indent = " ".repeat(indentOf(p) + pick([0, 1, 2, 4]));
        const body = pick([`${indent}${v}`, `${indent}${v}\n${indent}  more`, `${indent}${v}\n\t${v}`, `\n${indent}${v}`, `${indent}${v}\n  ${v}`, `   ${v}\n ${v}`]);
        return `${p}${pick(BLOCK_HEADERS)}\n${body}`;
      });
    case "anchor-alias":
      return withValue((p, v) => p + pick([`&a ${v}`, `*a`, `*undefined`, `&a`, `& ${v}`, `&a&b ${v}`, `&a! ${v}`, `&${v} x`, `*a b`, `&a *a`, `*${v}`, `&a [${v}]`, `&a\n  x: 1`]));
    case "tag":
      return withValue((p, v) => p + pick([`!!str ${v}`, `!x!y ${v}`, `!<tag:x> ${v}`, `!<x ${v}`, `! ${v}`, `!!${v}`, `!foo ${v}`, `!!int ${v}`, `!!map ${v}`, `!!seq ${v}`, `!!float ${v}`, `!!bool ${v}`, `!!null ${v}`, `!%41 ${v}`, `!%4 ${v}`, `!!str\n  ${v}`]));
    case "doc-marker": {
      const i = lineIndex();
      lines.splice(i, 0, pick(["---", "...", "--- x", "...x", "----", "--- |", "...\n---", "  ---", "---\t", "--- {}", "--- -"]));
      return lines.join("\n");
    }
    case "directive": {
      const i = random() < 0.5 ? 0 : lineIndex();
      lines.splice(i, 0, pick(["%YAML 1.1", "%YAML 1.1\n---", "%YAML 1.2\n---", "%YAML 2.0\n---", "%YAML 1.1 x\n---", "%YAML 1\n---", "%YAML 123.1\n---", "%TAG ! tag:x,2000:\n---", "%TAG !a! tag:x:\n---", "%TAG !! tag:y:\n%TAG !! tag:z:\n---", "%FOO bar\n---", "%\n---", "%YAML 1.1\n%YAML 1.1\n---"]));
      return lines.join("\n");
    }
    case "long-key": {
      const i = lineIndex();
      const line = lines[i]!;
      const n = pick([1000, 1020, 1023, 1024, 1025, 1030, 2000]);
      lines.splice(i, 0, " ".repeat(indentOf(line)) + pick([`${"k".repeat(n)}: x`, `"${"k".repeat(n)}": x`, `{${"k".repeat(n)}: x}`, `x: ${"v".repeat(n)}`, `${"k".repeat(n)} : x`]));
      return lines.join("\n");
    }
    case "odd-char": {
      // anywhere, or past go-yaml's first 512-byte read
      let i = lineIndex();
      if (random() < 0.4) {
        let bytes = 0;
        i = lines.findIndex((l) => (bytes += Buffer.byteLength(l) + 1) > pick([480, 510, 512, 520, 600, 1100]));
        if (i < 0) i = lines.length - 1;
      }
      const line = lines[i]!;
      const c = at(line);
      lines[i] = line.slice(0, c) + pick(ODD_CHARS) + line.slice(c);
      return lines.join("\n");
    }
    case "escape":
      return withValue((p, v) => p + `"${v.replace(/^["']|["']$/g, "").slice(0, 10)}${pick(ESCAPES)}${pick(["", "x", "0000", "41"])}"`);
    case "comment-colon":
      return withValue((p, v) => pick([`${p}${v}#c`, `${p}${v} #c`, `${p.slice(0, -1)}#c`, `${p.trimEnd()}${v}`, `${p.slice(0, -2)} :${v}`, `${p}${v}: x`, `${p}${v}:x`, `${p}${v} : x`, `${p}http://${v}`, `${p}${v}:`, `${p}#${v}`, `${p}- ${v}`, `${p}? ${v}`, `${p}${v} - x`, `${p}${v}\t# c`]));
    case "line-ends":
      return pick([text.replace(/\n/g, "\r"), text.replace(/\n/g, "\r\n"), text.replace(/\n/, "\r"), text.replace(/\n/g, "\u0085"), text.replace(/\n/g, "\u2028"), text.replace(/\n/g, "\n\r"), text.replace(/\n(?=\s)/, "\r\n\r")]);
    case "sequence-oddity": {
      const i = lineIndex();
      const line = lines[i]!;
      lines[i] = " ".repeat(indentOf(line)) + pick([`- - ${line.trimStart()}`, `-${line.trimStart()}`, `-\t${line.trimStart()}`, `- `, `-`, `? ${line.trimStart()}`, `: ${line.trimStart()}`, `- ? ${line.trimStart()}`, `- : x`, `- - - x`]);
      return lines.join("\n");
    }
    default:
      return text;
  }
}
