// Globs of exemption entries (`*` any run, `?` one character); an absent pattern matches anything.
const cache = new Map<string, RegExp>();

export function globMatches(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`);
    cache.set(pattern, re);
  }
  return re.test(value ?? "");
}
