// A compact HS256 JSON Web Token (RFC 7519) with node:crypto: enough to mint the local environments'
// metrics token with the gateway's own signing key, and to check one in tests.
const { createHmac, timingSafeEqual } = process.getBuiltinModule("node:crypto");

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export function mintJwt(secret: string, claims: Record<string, unknown>): string {
  const body = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

/** The claims of a token signed with `secret`, or undefined when the signature does not match. */
export function verifyJwt(token: string, secret: string): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}
