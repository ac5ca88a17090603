// kustomize's name hash suffix, on its own so that a reader of names (the policy's sources) loads no YAML library.

/** kustomize's name hash: a dash and 10 characters of its vowel-free alphabet (api/hasher). */
export const KUSTOMIZE_HASH_SUFFIX = /-[2456789bcdfghkmt]{10}$/;

/** The name without kustomize's hash suffix (unchanged when it has none). */
export const withoutHashSuffix = (name: string): string => name.replace(KUSTOMIZE_HASH_SUFFIX, "");
