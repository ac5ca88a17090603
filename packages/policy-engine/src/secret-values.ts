// What counts as a secret and what counts as a weak one. Signing keys (the names a rule parameter lists)
// must have >= 32 characters, Shannon entropy >= 3.5 bits/char, not be on the weak list and not be a
// `__REPLACE_ME__` placeholder; passwords at least 12 characters.

/** Words that make a name secret wherever they stand: SECRET_X, X_SECRET, X_SECRET_Y. */
const SECRET_WORDS = new Set(["PASSWORD", "PASSWD", "PASSPHRASE", "PWD", "SECRET", "SECRETS", "TOKEN", "TOKENS", "APIKEY", "CREDENTIAL", "CREDENTIALS", "BEARER", "PRIVATEKEY"]);
/** Two-word phrases that do the same: API_KEY, PRIVATE_KEY, ACCESS_KEY, OCI_CLI_KEY_CONTENT, … */
const SECRET_PHRASES = ["API KEY", "PRIVATE KEY", "ACCESS KEY", "AUTH KEY", "ENCRYPTION KEY", "SIGNING KEY", "MASTER KEY", "ACCOUNT KEY", "KEY CONTENT", "CLIENT SECRET"];
/** A last word that makes the name describe a secret rather than hold one: TOKEN_EXPIRY, PASSWORD_MIN_LENGTH, SECRET_NAME. */
const METADATA_WORDS = new Set([
  "EXPIRY", "EXPIRATION", "EXPIRES", "TTL", "LIFETIME", "LENGTH", "LEN", "FILE", "PATH", "DIR", "NAME", "REF", "TYPE", "ENABLED",
  "DISABLED", "LABELS", "LABEL", "ANNOTATIONS", "SELECTOR", "NAMESPACE", "KIND", "HEADER", "ALGORITHM", "ALG", "AUDIENCE", "ISSUER", "ROTATION", "TIMEOUT", "SECONDS", "MINUTES", "HOURS", "DAYS", "MIN", "MAX", "REQUIRED",
]);
const wordsOf = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);

/** Secret-like by word: a secret word or phrase anywhere, DB_PASS, cloud keys (AZURE_*_KEY, AWS_SECRET_ACCESS_KEY). */
function secretLike(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0 || METADATA_WORDS.has(words[words.length - 1]!)) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  const joined = ` ${words.join(" ")} `;
  if (SECRET_PHRASES.some((p) => joined.includes(` ${p} `))) return true;
  if (words[words.length - 1] === "PASS") return true;
  // Azure's connection keys are AZURE_<SERVICE>_KEY (AZURE_BATCH_KEY, AZURE_STORAGE_KEY).
  return words[0] === "AZURE" && words.length > 1 && words[words.length - 1] === "KEY";
}
const PASSWORD_NAME = /(^|[_.-])(PASSWORD|PASSWD)$/i;

export const isSecretLikeName = (name: string): boolean => secretLike(name);
export const isPasswordName = (name: string): boolean => PASSWORD_NAME.test(name);

/** Values that cannot be a secret whatever the name says: empty, booleans, numbers, pure `$(VAR)` references. */
export function isTrivialValue(value: string): boolean {
  const v = value.trim();
  return v === "" || /^(true|false|yes|no|on|off|null|none)$/i.test(v) || /^-?\d+(\.\d+)?$/.test(v) || /^(\$\([A-Za-z_][A-Za-z0-9_.-]*\)\s*)+$/.test(v);
}

/** A PEM private key block; some tools write three dashes instead of five. */
export const PRIVATE_KEY_PEM = /-{3,5}\s*BEGIN\s+([A-Z0-9]+\s+)*PRIVATE\s+KEY\s*-{3,5}/i;

/** A URL with a literal password in its userinfo (`scheme://user:pass@host`), not a `$(VAR)` reference. */
export function urlPassword(value: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:([^@/\s]+)@/i.exec(value.trim());
  if (!m || /^\$\([^)]+\)$/.test(m[1]!)) return undefined;
  return m[1];
}

const WEAK_VALUES = new Set([
  "changeme", "change-me", "change_me", "changeit", "change-me-redis", "password", "passw0rd", "p@ssw0rd", "secret",
  "supersecret", "admin", "admin123", "administrator", "root", "toor", "test", "test123", "testing", "default",
  "example", "letmein", "qwerty", "123456", "12345678", "postgres", "redis", "minioadmin", "minioadminchangeme",
  "my-test-key", "my-test-key-but-now-longer-than-32-bytes", "my-test-salt", "your-secret-key", "your-secret-key-here",
  "jwt-secret", "jwt-secret-key", "secret-key", "insecure",
]);
const WEAK_FRAGMENTS = ["changeme", "change-me", "change_me", "replace-me", "replace_me", "my-test-key"];

export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function weakValue(value: string): boolean {
  const v = value.trim().toLowerCase();
  return WEAK_VALUES.has(v) || WEAK_FRAGMENTS.some((f) => v.includes(f));
}

/** Why a signing key or password is weak, or undefined when it is acceptable (or not a credential). */
export function credentialWeakness(name: string, value: string, signingKeys: ReadonlySet<string>): string | undefined {
  if (signingKeys.has(name)) {
    if (value.trim() === "") return `${name} is empty`;
    if (value.startsWith("__REPLACE_ME__")) return `${name} is still the __REPLACE_ME__ placeholder`;
    if (weakValue(value)) return `${name} is a known weak value`;
    if (value.length < 32) return `${name} has ${value.length} characters; at least 32 are required`;
    const h = shannonEntropy(value);
    if (h < 3.5) return `${name} has Shannon entropy ${h.toFixed(2)} bits/char; at least 3.5 is required`;
    return undefined;
  }
  if (isPasswordName(name)) {
    if (value.trim() === "") return `${name} is empty`;
    if (/^\$\(|^__REPLACE_ME__/.test(value)) return value.startsWith("__REPLACE_ME__") ? `${name} is still the __REPLACE_ME__ placeholder` : undefined;
    if (weakValue(value)) return `${name} is a known weak password`;
    if (value.length < 12) return `${name} has ${value.length} characters; at least 12 are required`;
  }
  return undefined;
}
