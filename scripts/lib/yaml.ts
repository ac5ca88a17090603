// The one YAML emitter for everything the generator writes, and the YAML 1.1-aware reader the generator uses
// to read kustomize's output back. kustomize (and kubectl) read YAML 1.1 in places (`y`, `on`, `NO` are
// booleans, `010` is octal, `1:20` is sexagesimal, `2001-12-14` a timestamp), YAML 1.2 readers read `0o7` as
// a number: a string either would read as something else is quoted, so 1.1 and 1.2 readers agree.
import { isScalar, Schema, stringify, type ScalarTag } from "yaml";
import jsyaml from "js-yaml";

/** The plain-scalar resolvers of the yaml package's YAML 1.1 schema (bool, null, int, float, timestamp, merge). */
const YAML11_SCALARS = (new Schema({ schema: "yaml-1.1" }).tags as ScalarTag[]).filter(
  (t): t is ScalarTag & { test: RegExp } => t.test instanceof RegExp,
);

/**
 * Stringify-only tags: the yaml package quotes a string when any `default` tag other than str would resolve
 * it, so adding YAML 1.1's resolvers to the core schema's makes it quote what either version reads as non-string.
 * `=` is YAML 1.1's value key type, which the yaml package does not implement.
 */
const AMBIGUOUS_FOR_YAML11: ScalarTag[] = [
  ...YAML11_SCALARS.map((t, i) => ({ tag: `${t.tag}#yaml-1.1-${i}`, default: true, test: t.test, resolve: (s: string) => s })),
  { tag: "tag:yaml.org,2002:value", default: true, test: /^=$/, resolve: (s: string) => s },
  // js-yaml reads a signed or underscored 0o octal (`-0o7`, `0o7_1`) as a number; neither schema above matches it.
  { tag: "tag:yaml.org,2002:int#js-yaml-octal", default: true, test: /^[-+]?0o[0-7_]+$/, resolve: (s: string) => s },
];

/** True when `value`, written as a plain scalar, would be read by a YAML 1.1 or 1.2 reader as something else. */
export function changesAsPlainScalar(value: string): boolean {
  try {
    return loadAllAsYaml11(value)[0] !== value;
  } catch {
    return true;
  }
}

/** YAML text that YAML 1.1 and 1.2 readers read as the same value (core schema output, 1.1-ambiguous strings quoted). */
export function toYaml(value: unknown): string {
  return stringify(value, {
    lineWidth: 0,
    aliasDuplicateObjects: false,
    customTags: (core) => [...core, ...AMBIGUOUS_FOR_YAML11],
  });
}

/**
 * js-yaml's core schema plus YAML 1.1's implicit resolvers (tried only for plain scalars core reads as strings):
 * a plain `y` reads as `true`, as kustomize would read it, so a comparison with the intended string fails.
 */
const CORE_AND_YAML11 = jsyaml.CORE_SCHEMA.extend({
  implicit: YAML11_SCALARS.filter((t) => t.tag !== "tag:yaml.org,2002:merge").map(
    (t, i) =>
      new jsyaml.Type(`${t.tag}#yaml-1.1-${i}`, {
        kind: "scalar",
        resolve: (data: unknown) => typeof data === "string" && t.test.test(data),
        construct: (data: string) => {
          const v = t.resolve(data, () => undefined, {} as never);
          return isScalar(v) ? v.value : v;
        },
      }),
  ),
});

/** Every document of a YAML stream, with plain scalars read as a YAML 1.1 reader would (fast: js-yaml). */
export function loadAllAsYaml11(text: string): unknown[] {
  return jsyaml.loadAll(text, undefined, { schema: CORE_AND_YAML11 });
}
