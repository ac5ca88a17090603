/** Mutations in the corpus (record.ts records this many; the test generates the same). */
export const MUTATION_COUNT = 1200;
