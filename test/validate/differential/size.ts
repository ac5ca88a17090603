/** Mutations in the corpus (record.ts records this many; the test generates the same). */
export const MUTATION_COUNT = 1200;
/** Mutations in the wide corpus (wide.ts): more kinds of change, recorded the same way. */
export const WIDE_MUTATION_COUNT = 2500;
