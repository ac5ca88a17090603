/** Mutations in the corpus (record.ts records this many; the test generates the same). */
export const MUTATION_COUNT = 1200;
/** Mutations in the wide corpus (wide.ts): more kinds of change, recorded the same way. */
export const WIDE_MUTATION_COUNT = 2500;
/** Mutations in the YAML syntax corpus (syntax.ts), recorded with -strict only (syntax errors do not depend on it). */
export const SYNTAX_MUTATION_COUNT = 600;
