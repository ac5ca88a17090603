// `format` checks as kubeconform 0.7.0 applies them (santhosh-tekuri/jsonschema v6 plus
// kubeconform's own `duration`). v6 asserts formats only for drafts before 2019-09: that is, for
// schemas without `$schema` (kubeconform defaults those to draft-04, the CRD schemas) but not for
// the Kubernetes schemas, whose `$schema: http://json-schema.org/schema#` means the latest draft.
// Formats v6 does not know (int32, int64, byte, double, int-or-string) are ignored. Each check gives
// v6's cause (`'01.1.1.1' is not valid ipv4: leading zeros`), ported from its format.go and the Go
// standard library functions it calls (strconv.Atoi, netip.ParseAddr, time.Parse, url.Parse).

/** A format's check: undefined when the value is valid, else the cause v6 gives (`leading zeros`). */
type FormatCause = (value: string) => string | undefined;

// --- Go's quoting ----------------------------------------------------------------------------------------

const GO_ESCAPES: Record<string, string> = { "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };
/**
 * Go's unicode.IsPrint beyond ASCII: letters, marks, numbers, punctuation and symbols. Made on first use: V8 builds
 * the Unicode property sets for it (about 1 ms), and most runs quote only ASCII.
 */
let printable: RegExp | undefined;
const isPrintable = (ch: string): boolean => (printable ??= /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u).test(ch);

/** strconv.Quote's escaping inside `delimiter`s (`"` for strconv.Quote, `'` for %q of a rune). */
export function goEscape(s: string, delimiter: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === delimiter || ch === "\\") out += "\\" + ch;
    else if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else if ((c >= 0x20 && c < 0x7f) || (c >= 0x80 && isPrintable(ch))) out += ch;
    else if (c < 0x80) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += `\\U${c.toString(16).padStart(8, "0")}`;
  }
  return out;
}
/** Go's strconv.Quote (%q of a string). */
export const strconvQuote = (s: string): string => `"${goEscape(s, '"')}"`;
/** %q of a rune or byte. */
const quoteRune = (ch: string): string => `'${goEscape(ch, "'")}'`;

/** Go indexes strings by byte: the UTF-8 bytes as a string of one character per byte. */
const bytesOf = (s: string): string => Buffer.from(s, "utf8").toString("latin1");

/** time's own quote (time/format.go:861) of a byte string: non-ASCII and control bytes as \x escapes. */
function timeQuote(bytes: string): string {
  let out = '"';
  for (const ch of bytes) {
    const c = ch.charCodeAt(0);
    if (c >= 0x80 || c < 0x20) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch === '"' || ch === "\\" ? "\\" + ch : ch;
  }
  return out + '"';
}

/** strconv.Atoi: [undefined, error] or [value]. */
function atoi(s: string): [number | undefined, string?] {
  const m = /^[+-]?(\d+)$/.exec(s);
  if (!m) return [undefined, `strconv.Atoi: parsing ${strconvQuote(s)}: invalid syntax`];
  const n = Number(s);
  if (BigInt(s.replace(/^\+/, "")) > 2n ** 63n - 1n || BigInt(s.replace(/^\+/, "")) < -(2n ** 63n)) return [undefined, `strconv.Atoi: parsing ${strconvQuote(s)}: value out of range`];
  return [n];
}

// --- v6's formats (santhosh-tekuri/jsonschema/v6 format.go, vendored by kubeconform 0.7.0) -----------------

/** format.go validateJSONPointer */
function jsonPointer(s: string): string | undefined {
  if (s === "") return undefined;
  if (!s.startsWith("/")) return "not starting with /";
  for (const token of s.split("/").slice(1)) {
    let escape = false;
    for (const ch of token) {
      if (escape) {
        escape = false;
        if (ch !== "0" && ch !== "1") return "~ must be followed by 0 or 1";
        continue;
      }
      if (ch === "~") escape = true;
    }
    if (escape) return "~ must be followed by 0 or 1";
  }
  return undefined;
}

/** format.go validateRelativeJSONPointer */
function relativeJsonPointer(s: string): string | undefined {
  const digits = /^\d*/.exec(s)![0].length;
  if (digits === 0) return "must start with non-negative integer";
  if (digits > 1 && s.startsWith("0")) return "starts with zero";
  const rest = s.slice(digits);
  return rest === "#" ? undefined : jsonPointer(rest);
}

/** format.go validateUUID */
function uuid(s: string): string | undefined {
  const lengths = [8, 4, 4, 4, 12];
  const groups = s.split("-");
  if (groups.length !== lengths.length) return `must have ${lengths.length} elements`;
  for (const [i, group] of groups.entries()) {
    if (Buffer.byteLength(group) !== lengths[i]) return `element ${i + 1} must be ${lengths[i]} characters long`;
    for (const ch of group) if (!/[0-9a-fA-F]/.test(ch)) return `non-hex character ${quoteRune(ch)}`;
  }
  return undefined;
}

/** format.go validateDuration (ISO 8601), which kubeconform's duration copies with fmt.Errorf (pkg/validator/validator.go:293). */
function isoDuration(value: string): string | undefined {
  if (!value.startsWith("P")) return "must start with P";
  const s = value.slice(1);
  if (s === "") return "nothing after P";
  if (s.endsWith("W")) {
    const week = s.slice(0, -1);
    if (week === "") return "no number in week";
    return /^\d*$/.test(week) ? undefined : "invalid week";
  }
  const allUnits = ["YMD", "HMS"];
  for (const [i, section] of s.split("T").entries()) {
    if (i !== 0 && section === "") return "no time elements";
    if (i >= allUnits.length) return "more than one T";
    let units = allUnits[i]!;
    let rest = section;
    while (rest !== "") {
      const digits = /^\d*/.exec(rest)![0].length;
      if (digits === 0) return "missing number";
      rest = rest.slice(digits);
      if (rest === "") return "missing unit";
      const unit = rest[0]!;
      const j = units.indexOf(unit);
      if (j === -1) return allUnits[i]!.includes(unit) ? `unit ${quoteRune(unit)} out of order` : `invalid unit ${quoteRune(unit)}`;
      units = units.slice(j + 1);
      rest = rest.slice(1);
    }
  }
  return undefined;
}

const DURATION_UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, "µs": 1000n, "μs": 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** Go's time.ParseDuration succeeds (time/format.go:1617). */
function isGoDuration(orig: string): boolean {
  let s = orig;
  let negative = false;
  if (s[0] === "-" || s[0] === "+") {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return true;
  if (s === "") return false;
  let total = 0n;
  const max = 1n << 63n;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, int = "", frac] = m;
    if (int === "" && (frac === undefined || frac === "")) return false;
    s = s.slice(whole.length);
    const unitText = /^[^.0-9]*/.exec(s)![0];
    if (unitText === "") return false;
    s = s.slice(unitText.length);
    const unit = DURATION_UNITS[unitText];
    if (unit === undefined) return false;
    let v = int === "" ? 0n : BigInt(int);
    if (v > max / unit) return false;
    v *= unit;
    if (frac) {
      const f = Number(frac.slice(0, 18) || "0");
      const scale = 10 ** Math.min(frac.length, 18);
      v += BigInt(Math.trunc(f * (Number(unit) / scale)));
      if (v > max) return false;
    }
    total += v;
    if (total > max) return false;
  }
  return negative || total <= max - 1n;
}

/** kubeconform's duration: a Go duration first, else v6's ISO 8601 check and its cause. */
function duration(s: string): string | undefined {
  return isGoDuration(s) ? undefined : isoDuration(s);
}

/** format.go validatePeriod */
function period(s: string): string | undefined {
  const slash = s.indexOf("/");
  if (slash === -1) return "missing slash";
  const [start, end] = [s.slice(0, slash), s.slice(slash + 1)];
  let e: string | undefined;
  if (start.startsWith("P")) {
    if ((e = isoDuration(start))) return `invalid start duration: ${e}`;
    if ((e = dateTime(end))) return `invalid end date-time: ${e}`;
    return undefined;
  }
  if ((e = dateTime(start))) return `invalid start date-time: ${e}`;
  if (end.startsWith("P")) {
    if ((e = isoDuration(end))) return `invalid end duration: ${e}`;
  } else if ((e = dateTime(end))) return `invalid end date-time: ${e}`;
  return undefined;
}

/** format.go validateIPV4 */
function ipv4(s: string): string | undefined {
  const groups = s.split(".");
  if (groups.length !== 4) return "expected four decimals";
  for (const group of groups) {
    if (group.length > 1 && group[0] === "0") return "leading zeros";
    const [n, err] = atoi(group);
    if (err) return err;
    if (n! < 0 || n! > 255) return "decimal must be between 0 and 255";
  }
  return undefined;
}

/** netip.ParseAddr's error (net/netip/netip.go:115), or undefined; zone is the text after '%'. */
function parseAddr(s: string): { error?: string; zone?: string } {
  const fail = (msg: string, at?: string) => ({ error: `ParseAddr(${strconvQuote(s)}): ${msg}${at ? ` (at ${strconvQuote(at)})` : ""}` });
  for (const c of s) {
    if (c === ".") return ipv4Fields(s, s, fail) ?? {};
    if (c === ":") return parseIPv6(s, fail);
    if (c === "%") return fail("missing IPv6 address");
  }
  return fail("unable to parse IP");
}

type Fail = (msg: string, at?: string) => { error: string };

/** netip.go parseIPv4Fields */
function ipv4Fields(_in: string, s: string, fail: Fail): { error: string } | undefined {
  let val = 0;
  let pos = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= "0" && c <= "9") {
      if (digits === 1 && val === 0) return fail("IPv4 field has octet with leading zero");
      val = val * 10 + Number(c);
      digits++;
      if (val > 255) return fail("IPv4 field has value >255");
    } else if (c === ".") {
      if (i === 0 || i === s.length - 1 || s[i - 1] === ".") return fail("IPv4 field must have at least one digit", s.slice(i));
      if (pos === 3) return fail("IPv4 address too long");
      pos++;
      val = 0;
      digits = 0;
    } else return fail("unexpected character", s.slice(i));
  }
  if (pos < 3) return fail("IPv4 address too short");
  return undefined;
}

/** netip.go parseIPv6 */
function parseIPv6(input: string, fail: Fail): { error?: string; zone?: string } {
  let s = input;
  let zone = "";
  const percent = s.indexOf("%");
  if (percent !== -1) {
    [s, zone] = [s.slice(0, percent), s.slice(percent + 1)];
    if (zone === "") return fail("zone must be a non-empty string");
  }
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ":" && s[1] === ":") {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const c = s[off]!;
      if (!/[0-9a-fA-F]/.test(c)) break;
      acc = acc * 16 + parseInt(c, 16);
      if (off > 3) return fail("each group must have 4 or less digits", s);
      if (acc > 0xffff) return fail("IPv6 field has value >=2^16", s);
    }
    if (off === 0) return fail("each colon-separated field must have at least one digit", s);
    if (off < s.length && s[off] === ".") {
      if (ellipsis < 0 && i !== 12) return fail("embedded IPv4 address must replace the final 2 fields of the address", s);
      if (i + 4 > 16) return fail("too many hex fields to fit an embedded IPv4 at the end of the address", s);
      const error = ipv4Fields(input, s, fail);
      if (error) return error;
      s = "";
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ":") return fail("unexpected character, want colon", s);
    if (s.length === 1) return fail("colon must be followed by more characters", s);
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return fail("multiple :: in address", s);
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return fail("trailing garbage after address", s);
  if (i < 16) {
    if (ellipsis < 0) return fail("address string too short");
  } else if (ellipsis >= 0) return fail("the :: must expand to at least one field of zeros");
  return { zone };
}

/** format.go validateIPV6 */
function ipv6(s: string): string | undefined {
  if (!s.includes(":")) return "missing colon";
  const addr = parseAddr(s);
  if (addr.error) return addr.error;
  if (addr.zone) return "zone id is not a part of ipv6 address";
  return undefined;
}

/** format.go validateHostname */
function hostname(value: string): string | undefined {
  const s = value.endsWith(".") ? value.slice(0, -1) : value;
  if (Buffer.byteLength(s) > 253) return "more than 253 characters long";
  for (const label of s.split(".")) {
    const length = Buffer.byteLength(label);
    if (length < 1 || length > 63) return "label must be 1 to 63 characters long";
    if (label.startsWith("-")) return "label starts with hyphen";
    if (label.endsWith("-")) return "label ends with hyphen";
    for (const ch of label) if (!/[a-zA-Z0-9-]/.test(ch)) return `invalid character ${quoteRune(ch)}`;
  }
  return undefined;
}

/** format.go validateEmail */
function email(s: string): string | undefined {
  if (Buffer.byteLength(s) > 254) return "more than 255 characters long";
  const at = s.lastIndexOf("@");
  if (at === -1) return "missing @";
  const [local, domain] = [s.slice(0, at), s.slice(at + 1)];
  if (Buffer.byteLength(local) > 64) return "local part more than 64 characters long";
  if (local.length > 1 && local.startsWith('"')) {
    // (v6 checks the opening quote twice, never the closing one)
    const inner = local.slice(1, -1);
    if (inner.includes("\\") || inner.includes('"')) return "backslash and quote are not allowed within quoted local part";
  } else {
    if (local.startsWith(".")) return "starts with dot";
    if (local.endsWith(".")) return "ends with dot";
    if (local.includes("..")) return "consecutive dots";
    for (const ch of local) if (!/[a-zA-Z0-9]/.test(ch) && !".!#$%&'*+-/=?^_`{|}~".includes(ch)) return `invalid character ${quoteRune(ch)}`;
  }
  if (domain.startsWith("[") && domain.endsWith("]")) {
    const inner = domain.slice(1, -1);
    if (inner.startsWith("IPv6:")) {
      const e = ipv6(inner.slice(5));
      return e ? `invalid ipv6 address: ${e}` : undefined;
    }
    const e = ipv4(inner);
    return e ? `invalid ipv4 address: ${e}` : undefined;
  }
  const e = hostname(domain);
  return e ? `invalid domain: ${e}` : undefined;
}

const date = (s: string): string | undefined => dateOfBytes(bytesOf(s));
const time = (s: string): string | undefined => timeOfBytes(bytesOf(s));
const dateTime = (s: string): string | undefined => dateTimeOfBytes(bytesOf(s));

/** time.Parse("2006-01-02", s)'s error (time/format.go:1065-1380, that layout's path), on a byte string. */
function dateOfBytes(value: string): string | undefined {
  const layout = "2006-01-02";
  const cannot = (valueElem: string, layoutElem: string) =>
    `parsing time ${timeQuote(value)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`;
  const message = (m: string) => `parsing time ${timeQuote(value)}${m}`;
  let v = value;
  if (v.length < 4 || !/[0-9]/.test(v[0]!) || !/^[+-]?\d+$/.test(v.slice(0, 4))) return cannot(v, "2006");
  const year = Number(v.slice(0, 4));
  v = v.slice(4);
  // getnum(value, fixed): two digits
  const twoDigits = (elem: string): [number, string] | string => {
    if (!/^\d\d/.test(v)) return cannot(v, elem);
    return [Number(v.slice(0, 2)), v.slice(2)];
  };
  if (v[0] !== "-") return cannot(v, "-");
  v = v.slice(1);
  const month = twoDigits("01");
  if (typeof month === "string") return month;
  v = month[1];
  if (month[0] < 1 || month[0] > 12) return message(": month out of range");
  if (v[0] !== "-") return cannot(v, "-");
  v = v.slice(1);
  const day = twoDigits("02");
  if (typeof day === "string") return day;
  v = day[1];
  if (v.length !== 0) return message(`: extra text: ${timeQuote(v)}`);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month[0] - 1]!;
  if (day[0] < 1 || day[0] > days) return message(": day out of range");
  return undefined;
}

/** format.go validateTime, on a byte string. */
function timeOfBytes(value: string): string | undefined {
  let str = value;
  if (str.length < 9) return "less than 9 characters long";
  if (str[2] !== ":" || str[5] !== ":") return "missing colon in correct place";
  const hms: number[] = [];
  for (const token of str.slice(0, 8).split(":")) {
    const [n, err] = atoi(token);
    if (err) return "invalid hour/min/sec";
    if (n! < 0) return "non-positive hour/min/sec";
    hms.push(n!);
  }
  if (hms.length !== 3) return "missing hour/min/sec";
  let [h, m] = [hms[0]!, hms[1]!];
  const sec = hms[2]!;
  if (h > 23 || m > 59 || sec > 60) return "hour/min/sec out of range";
  str = str.slice(8);
  if (str.startsWith(".")) {
    const digits = /^\d*/.exec(str.slice(1))![0].length;
    if (digits === 0) return "no digits in second fraction";
    str = str.slice(1 + digits);
  }
  if (str !== "z" && str !== "Z") {
    if (str.length !== 6) return "offset must be 6 characters long";
    let sign: number;
    if (str[0] === "+") sign = -1;
    else if (str[0] === "-") sign = 1;
    else return "offset must begin with plus/minus";
    str = str.slice(1);
    if (str[2] !== ":") return "missing colon in offset in correct place";
    const zhm: number[] = [];
    for (const token of [str.slice(0, 2), str.slice(3)]) {
      const [n, err] = atoi(token);
      if (err) return "invalid hour/min in offset";
      if (n! < 0) return "non-positive hour/min in offset";
      zhm.push(n!);
    }
    const [zh, zm] = [zhm[0]!, zhm[1]!];
    if (zh > 23 || zm > 59) return "hour/min in offset out of range";
    let hm = h * 60 + m + sign * (zh * 60 + zm);
    if (hm < 0) hm += 24 * 60;
    [h, m] = [Math.floor(hm / 60), hm % 60];
  }
  if (sec >= 60 && (h !== 23 || m !== 59)) return "invalid leap second";
  return undefined;
}

/** format.go validateDateTime, on a byte string. */
function dateTimeOfBytes(s: string): string | undefined {
  if (s.length < 20) return "less than 20 characters long";
  if (s[10] !== "t" && s[10] !== "T") return "11th character must be t or T";
  let e = dateOfBytes(s.slice(0, 10));
  if (e) return `invalid date element: ${e}`;
  e = timeOfBytes(s.slice(11));
  if (e) return `invalid time element: ${e}`;
  return undefined;
}

// --- net/url.Parse, for uri and friends (net/url/url.go) ------------------------------------------------

type Encoding = "path" | "host" | "zone" | "userPassword" | "fragment";

/** url.go shouldEscape */
function shouldEscape(c: string, mode: Encoding): boolean {
  if (/[a-zA-Z0-9]/.test(c)) return false;
  if ((mode === "host" || mode === "zone") && "!$&'()*+,;=:[]<>\"".includes(c)) return false;
  if ("-_.~".includes(c)) return false;
  if ("$&+,/:;=?@".includes(c)) {
    if (mode === "path") return c === "?";
    if (mode === "userPassword") return c === "@" || c === "/" || c === "?" || c === ":";
    if (mode === "fragment") return false;
  }
  if (mode === "fragment" && "!()*".includes(c)) return false;
  return true;
}

const isHex = (c: string | undefined) => c !== undefined && /[0-9a-fA-F]/.test(c);

/** url.go unescape's error, or undefined. */
function unescape(s: string, mode: Encoding): string | undefined {
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === "%") {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) return `invalid URL escape ${strconvQuote(s.slice(i, i + 3))}`;
      if (mode === "host" && parseInt(s[i + 1]!, 16) < 8 && s.slice(i, i + 3) !== "%25") return `invalid URL escape ${strconvQuote(s.slice(i, i + 3))}`;
      if (mode === "zone") {
        const v = String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
        if (s.slice(i, i + 3) !== "%25" && v !== " " && shouldEscape(v, "host")) return `invalid URL escape ${strconvQuote(s.slice(i, i + 3))}`;
      }
      i += 3;
    } else {
      if ((mode === "host" || mode === "zone") && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode)) return `invalid character ${strconvQuote(c)} in host name`;
      i++;
    }
  }
  return undefined;
}

const validOptionalPort = (port: string) => port === "" || /^:\d*$/.test(port);

/** url.go parseHost's error. */
function parseHost(host: string): string | undefined {
  if (host.startsWith("[")) {
    const i = host.lastIndexOf("]");
    if (i < 0) return "missing ']' in host";
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) return `invalid port ${strconvQuote(colonPort)} after host`;
    const zone = host.slice(0, i).indexOf("%25");
    if (zone >= 0) return unescape(host.slice(0, zone), "host") ?? unescape(host.slice(zone, i), "zone") ?? unescape(host.slice(i), "host");
  } else {
    const i = host.lastIndexOf(":");
    if (i !== -1 && !validOptionalPort(host.slice(i))) return `invalid port ${strconvQuote(host.slice(i))} after host`;
  }
  return unescape(host, "host");
}

interface ParsedUrl { scheme: string; host: string }

/** url.Parse (url.go:Parse, parse): the URL's scheme and host, or the error's text. */
function parseUrl(raw: string): ParsedUrl | { error: string } {
  const hash = raw.indexOf("#");
  const [u, frag] = hash < 0 ? [raw, ""] : [raw.slice(0, hash), raw.slice(hash + 1)];
  const wrap = (url: string, e: string) => ({ error: `parse ${strconvQuote(url)}: ${e}` });
  if (/[\x00-\x1f\x7f]/.test(u)) return wrap(u, "net/url: invalid control character in URL");
  if (u === "*") return { scheme: "", host: "" };
  // getScheme
  let scheme = "";
  let rest = u;
  for (let i = 0; i < u.length; i++) {
    const c = u[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ":") {
      if (i === 0) return wrap(u, "missing protocol scheme");
      [scheme, rest] = [u.slice(0, i), u.slice(i + 1)];
    }
    break;
  }
  scheme = scheme.toLowerCase();
  if (rest.endsWith("?") && rest.split("?").length === 2) rest = rest.slice(0, -1);
  else if (rest.includes("?")) rest = rest.slice(0, rest.indexOf("?"));
  let host = "";
  if (!rest.startsWith("/")) {
    if (scheme !== "") {
      // an opaque URL (`mailto:x`): only the fragment is checked further
      const e = frag === "" ? undefined : unescape(frag, "fragment");
      return e ? wrap(raw, e) : { scheme, host };
    }
    const segment = rest.split("/")[0]!;
    if (segment.includes(":")) return wrap(u, "first path segment in URL cannot contain colon");
  }
  if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
    // parseAuthority
    const at = authority.lastIndexOf("@");
    const hostError = parseHost(at < 0 ? authority : authority.slice(at + 1));
    if (hostError) return wrap(u, hostError);
    host = at < 0 ? authority : authority.slice(at + 1);
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return wrap(u, "net/url: invalid userinfo");
      for (const part of userinfo.includes(":") ? [userinfo.slice(0, userinfo.indexOf(":")), userinfo.slice(userinfo.indexOf(":") + 1)] : [userinfo]) {
        const e = unescape(part, "userPassword");
        if (e) return wrap(u, e);
      }
    }
  }
  const pathError = unescape(rest, "path");
  if (pathError) return wrap(u, pathError);
  if (frag !== "") {
    const e = unescape(frag, "fragment");
    if (e) return wrap(raw, e);
  }
  return { scheme, host };
}

/** url.Parse's error text, or undefined: kubeconform's file loader parses a schema path as a URL first (pkg/loader/file.go). */
export function goUrlParseError(raw: string): string | undefined {
  const u = parseUrl(raw);
  return "error" in u ? u.error : undefined;
}

/** format.go parseURL: url.Parse, then an IPv6 host checked. */
function parseURL(s: string): ParsedUrl | { error: string } {
  const u = parseUrl(s);
  if ("error" in u) return u;
  // URL.Hostname: the host without its port and brackets
  let name = u.host;
  const colon = name.lastIndexOf(":");
  if (colon !== -1 && validOptionalPort(name.slice(colon))) name = name.slice(0, colon);
  if (name.startsWith("[") && name.endsWith("]")) name = name.slice(1, -1);
  if (name.includes(":")) {
    if (!u.host.includes("[") || !u.host.includes("]")) return { error: "ipv6 address not enclosed in brackets" };
    const e = ipv6(name);
    if (e) return { error: `invalid ipv6 address: ${e}` };
  }
  return u;
}

/** format.go validateURI */
function uri(s: string): string | undefined {
  const u = parseURL(s);
  if ("error" in u) return u.error;
  return u.scheme === "" ? "relative url" : undefined;
}

/** format.go validateURIReference */
function uriReference(s: string): string | undefined {
  if (s.includes("\\")) return "contains \\";
  const u = parseURL(s);
  return "error" in u ? u.error : undefined;
}

/** format.go validateURITemplate (braces balanced in each path segment). */
function uriTemplate(s: string): string | undefined {
  const u = parseURL(s);
  if ("error" in u) return u.error;
  // v6 walks u.RawPath, which url.Parse sets only when the path is not in its escaped form; braces are escaped there
  const raw = rawPathOf(s);
  for (const token of raw.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(token);
    } catch {
      return `percent decode failed: invalid URL escape ${strconvQuote(token)}`;
    }
    let want = true;
    for (const ch of decoded) {
      if (ch !== "{" && ch !== "}") continue;
      if ((ch === "{") !== want) return "nested curly braces";
      want = !want;
    }
    if (!want) return "no matching closing brace";
  }
  return undefined;
}

/** URL.RawPath: the path as written when it differs from escape(unescape(path)), else "". */
function rawPathOf(s: string): string {
  let rest = s.split("#")[0]!;
  const scheme = /^[a-zA-Z][a-zA-Z0-9+\-.]*:/.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  rest = rest.split("?")[0]!;
  if (rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    rest = slash < 0 ? "" : rest.slice(slash);
  } else if (scheme && !rest.startsWith("/")) return "";
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    return "";
  }
  const escaped = [...Buffer.from(path, "utf8")].map((b) => {
    const c = String.fromCharCode(b);
    return b < 0x80 && !shouldEscape(c, "path") ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
  return escaped === rest ? "" : rest;
}

/** format.go validateSemver */
function semver(value: string): string | undefined {
  let s = value;
  const plus = s.indexOf("+");
  if (plus !== -1) {
    const build = s.slice(plus + 1);
    if (build === "") return "build is empty";
    for (const id of build.split(".")) {
      if (id === "") return "build identifier is empty";
      for (const ch of id) if (!/[0-9a-zA-Z-]/.test(ch)) return `invalid character ${quoteRune(ch)} in build identifier`;
    }
    s = s.slice(0, plus);
  }
  const dash = s.indexOf("-");
  if (dash !== -1) {
    for (const id of s.slice(dash + 1).split(".")) {
      if (id === "") return "pre-release identifier is empty";
      for (const ch of id) if (!/[0-9a-zA-Z-]/.test(ch)) return `invalid character ${quoteRune(ch)} in pre-release identifier`;
      if (/^\d+$/.test(id) && id.length > 1 && id[0] === "0") return "pre-release numeric identifier starts with zero";
    }
    s = s.slice(0, dash);
  }
  const versions = s.split(".");
  if (versions.length !== 3) return "versionCore must have 3 numbers separated by dot";
  const names = ["major", "minor", "patch"];
  for (const [i, version] of versions.entries()) {
    if (version === "") return `${names[i]} is empty`;
    if (version.length > 1 && version[0] === "0") return `${names[i]} starts with zero`;
    if (!/^\d+$/.test(version)) return `${names[i]} contains non-digit`;
  }
  return undefined;
}

/**
 * The regex format: v6 compiles it with Go's regexp (compiler.go:330), whose syntax errors read
 * "error parsing regexp: <code>: `<where>`" (regexp/syntax). Go's own syntax (`(?P<n>`, `\pL`, `\z`,
 * inline flags) is translated for JavaScript's parser (its lenient, non-Unicode mode, closer to RE2's
 * literal `{` and `]`); what RE2 lacks or refuses (look-arounds, back-references, unknown letter
 * escapes, repeats over 1,000) is refused first. The texts of other errors are approximated.
 */
function regex(s: string): string | undefined {
  const fail = (code: string, where: string) => `error parsing regexp: ${code}: \`${where}\``;
  const perl = /\(\?(?:<?[=!])/.exec(s);
  if (perl) return fail("invalid or unsupported Perl syntax", perl[0]);
  // escapes: RE2 knows these letters and digits (regexp/syntax parse.go), punctuation may always be escaped
  for (const m of s.matchAll(/\\(.)/gsu)) {
    const c = m[1]!;
    if (/[0-9A-Za-z]/.test(c) && !/[0-7abfnrtvxdDsSwWbBAzpPQEC]/.test(c)) return fail("invalid escape sequence", m[0]);
    if (/[1-9]/.test(c) && !/^\\[1-7][0-7]{2}/.test(s.slice(m.index))) return fail("invalid escape sequence", m[0]);
  }
  const count = /\{(\d+)(?:,(\d*))?\}/.exec(s);
  if (count && (Number(count[1]) > 1000 || Number(count[2] || 0) > 1000 || (count[2] && Number(count[1]) > Number(count[2])))) return fail("invalid repeat count", count[0]);
  const source = s
    .replace(/\(\?P</g, "(?<")
    .replace(/\\z/g, "$")
    .replace(/\\A/g, "^")
    .replace(/\\[pP](?:\{\^?[A-Za-z_]+\}|[A-Z])/g, "x") // Unicode classes: Go's names, not JavaScript's
    .replace(/\(\?[imsU-]+\)/g, "")
    .replace(/\(\?[imsU-]+:/g, "(?:")
    .replace(/(^|[^\\])([\^$])(?=[*+?{])/g, "$1(?:$2)"); // RE2 repeats an empty-width assertion
  try {
    new RegExp(source);
    return undefined;
  } catch {
    if (/(?<!\\)(?:\\\\)*\\$/.test(s)) return fail("trailing backslash at end of expression", "");
    const nested = /([*+?]|\{\d+(?:,\d*)?\})[*+]/.exec(s);
    if (nested) return fail("invalid nested repetition operator", nested[0]);
    const missing = /(?:^|[(|])([*+?]|\{\d+(?:,\d*)?\})/.exec(s);
    if (missing) return fail("missing argument to repetition operator", missing[1]!);
    for (const m of s.matchAll(/(?<!\\)\[\^?\]?((?:\\.|[^\]\\])*)\]/g)) {
      for (const r of m[1]!.matchAll(/([^\\])-([^\\\]])/g)) if (r[1]!.codePointAt(0)! > r[2]!.codePointAt(0)!) return fail("invalid character class range", r[0]);
    }
    const opens = [...s.matchAll(/(?<!\\)\[/g)].map((m) => m.index);
    const unclosed = opens.find((i) => !/(?<!\\)\]/.test(s.slice(i + 2)));
    if (unclosed !== undefined) return fail("missing closing ]", s.slice(unclosed));
    const open = (s.match(/(?<!\\)\(/g) ?? []).length;
    const close = (s.match(/(?<!\\)\)/g) ?? []).length;
    if (open > close) return fail("missing closing )", s);
    if (close > open) return fail("unexpected )", s);
    return fail("invalid or unsupported Perl syntax", s);
  }
}

/** v6's formats by name (format.go:20), with kubeconform's duration (pkg/validator/validator.go:376). */
export const FORMAT_CAUSES: Record<string, FormatCause> = {
  "json-pointer": jsonPointer,
  "relative-json-pointer": relativeJsonPointer,
  uuid,
  duration,
  period,
  ipv4,
  ipv6,
  hostname,
  email,
  date,
  time,
  "date-time": dateTime,
  uri,
  iri: uri,
  "uri-reference": uriReference,
  "iri-reference": uriReference,
  "uri-template": uriTemplate,
  semver,
  regex,
};

/** ajv format definitions: strings only, as v6 ignores other types. */
export const AJV_FORMATS = Object.fromEntries(
  Object.entries(FORMAT_CAUSES).map(([name, cause]) => [name, { type: "string" as const, validate: (s: string) => cause(s) === undefined }]),
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
