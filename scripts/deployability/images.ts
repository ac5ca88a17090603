import type { Environment, Hit } from "./types.ts";

export function imageWiring(_env: Environment): Hit[] {
  return [];
}
