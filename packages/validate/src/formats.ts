// `format` checks as kubeconform 0.7.0 applies them (santhosh-tekuri/jsonschema v6 plus
// kubeconform's own `duration`). v6 asserts formats only for drafts before 2019-09: that is, for
// schemas without `$schema` (kubeconform defaults those to draft-04, the CRD schemas) but not for
// the Kubernetes schemas, whose `$schema: http://json-schema.org/schema#` means the latest draft.
// Formats v6 does not know (int32, int64, byte, double, int-or-string) are ignored.
import net from "node:net";

type FormatCheck = (value: string) => boolean;

const DIGITS = /^\d+$/;

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function isTime(s: string): boolean {
  if (s.length < 9 || s[2] !== ":" || s[5] !== ":") return false;
  const parts = s.slice(0, 8).split(":");
  if (!parts.every((p) => DIGITS.test(p))) return false;
  let [h, m] = [Number(parts[0]), Number(parts[1])];
  const sec = Number(parts[2]);
  if (h > 23 || m > 59 || sec > 60) return false;
  let rest = s.slice(8);
  if (rest.startsWith(".")) {
    const frac = /^\.(\d+)/.exec(rest);
    if (!frac) return false;
    rest = rest.slice(frac[0].length);
  }
  if (rest !== "z" && rest !== "Z") {
    const off = /^([+-])(\d{2}):(\d{2})$/.exec(rest);
    if (!off) return false;
    const [zh, zm] = [Number(off[2]), Number(off[3])];
    if (zh > 23 || zm > 59) return false;
    const sign = off[1] === "+" ? -1 : 1;
    let minutes = h * 60 + m + sign * (zh * 60 + zm);
    if (minutes < 0) minutes += 24 * 60;
    [h, m] = [Math.floor(minutes / 60), minutes % 60];
  }
  return !(sec >= 60 && (h !== 23 || m !== 59));
}

function isDateTime(s: string): boolean {
  return s.length >= 20 && (s[10] === "T" || s[10] === "t") && isDate(s.slice(0, 10)) && isTime(s.slice(11));
}

const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;

/** kubeconform's duration: a Go duration (`1h30m`) or an ISO 8601 duration (`PT1H30M`). */
function isDuration(s: string): boolean {
  if (GO_DURATION.test(s)) return true;
  if (!s.startsWith("P") || s.length === 1) return false;
  const body = s.slice(1);
  if (body.endsWith("W")) return DIGITS.test(body.slice(0, -1));
  const sections = body.split("T");
  if (sections.length > 2) return false;
  const units = ["YMD", "HMS"];
  return sections.every((section, i) => {
    if (i > 0 && section === "") return false;
    let allowed = units[i]!;
    let rest = section;
    while (rest !== "") {
      const m = /^(\d+)(.)/.exec(rest);
      if (!m) return false;
      const at = allowed.indexOf(m[2]!);
      if (at < 0) return false;
      allowed = allowed.slice(at + 1);
      rest = rest.slice(m[0].length);
    }
    return true;
  });
}

function isIPv4(s: string): boolean {
  const groups = s.split(".");
  return groups.length === 4 && groups.every((g) => DIGITS.test(g) && !(g.length > 1 && g[0] === "0") && Number(g) <= 255);
}

function isIPv6(s: string): boolean {
  return s.includes(":") && !s.includes("%") && net.isIPv6(s);
}

function isHostname(s: string): boolean {
  const name = s.endsWith(".") ? s.slice(0, -1) : s;
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((label) => /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(label));
}

function isRegex(s: string): boolean {
  try {
    new RegExp(s, "u");
    return true;
  } catch {
    return false;
  }
}

export const FORMAT_CHECKS: Record<string, FormatCheck> = {
  "date-time": isDateTime,
  date: isDate,
  time: isTime,
  duration: isDuration,
  ipv4: isIPv4,
  ipv6: isIPv6,
  hostname: isHostname,
  email: (s) => /^[^\s@]+@[^\s@]+$/.test(s) && isHostname(s.slice(s.lastIndexOf("@") + 1)),
  uuid: (s) => /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s),
  uri: (s) => /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/.test(s),
  regex: isRegex,
};

/** ajv format definitions: strings only, as v6 ignores other types. */
export const AJV_FORMATS = Object.fromEntries(
  Object.entries(FORMAT_CHECKS).map(([name, check]) => [name, { type: "string" as const, validate: check }]),
);

/**
 * Schema `pattern`s are Go RE2 syntax. Translate what JavaScript lacks — inline flags such as
 * `(?i)`, `\z`, `\A`, `(?P<name>` — and if a pattern still cannot compile, accept every string
 * rather than losing the whole schema (kubeconform would have compiled it).
 */
export function goRegExp(pattern: string, flags: string): { test(s: string): boolean } {
  let source = pattern.replace(/\(\?P</g, "(?<").replace(/\\z/g, "$").replace(/\\A/g, "^");
  let extra = "";
  source = source.replace(/\(\?([imsU]+)\)/g, (_m, f: string) => {
    extra += f.replace(/U/g, "");
    return "";
  });
  const allFlags = [...new Set((flags + extra).split(""))].join("");
  try {
    return new RegExp(source, allFlags);
  } catch {
    return { test: () => true };
  }
}
