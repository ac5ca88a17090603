// CronJob schedules and time zones as the API server accepts them (pkg/apis/batch/validation/validation.go):
// the schedule must parse with robfig/cron/v3's ParseStandard (five fields or a descriptor, @every <duration>
// included) and must not carry TZ= / CRON_TZ=; the time zone must load with Go's time.LoadLocation and not be "Local".
import type { Verdict } from "./names.ts";

// robfig/cron/v3 parser.go: the bounds of the five standard fields and their names (case-insensitive).
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, offset: 1 },
  { name: "day of week", min: 0, max: 6, names: DAYS, offset: 0 },
] as const;

// robfig/cron/v3 parser.go parseDescriptor.
const DESCRIPTORS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);

/** Go's time.ParseDuration grammar: [-+]? (decimal number with a unit)+, units ns us µs ms s m h; "0" alone is valid. */
function goDuration(value: string): boolean {
  return value === "0" || /^[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+$/.test(value);
}

function parseValue(expr: string, field: (typeof FIELDS)[number]): number | undefined {
  if (/^[0-9]+$/.test(expr)) return Number(expr);
  if ("names" in field) {
    const i = field.names.indexOf(expr.toLowerCase() as never);
    if (i >= 0) return i + field.offset;
  }
  return undefined;
}

/** robfig/cron/v3 getRange: `*`, `?`, `a`, `a-b`, each with an optional `/step`. */
function rangeProblem(expr: string, field: (typeof FIELDS)[number]): string | undefined {
  const [rangePart, stepPart, extra] = expr.split("/");
  if (extra !== undefined) return `too many slashes: ${expr}`;
  let start: number;
  let end: number;
  if (rangePart === "*" || rangePart === "?") {
    start = field.min;
    end = field.max;
  } else {
    const [lo, hi, more] = rangePart!.split("-");
    if (more !== undefined) return `too many hyphens: ${expr}`;
    const a = parseValue(lo!, field);
    if (a === undefined) return `failed to parse int from ${lo}`;
    start = a;
    if (hi === undefined) end = stepPart === undefined ? a : field.max;
    else {
      const b = parseValue(hi, field);
      if (b === undefined) return `failed to parse int from ${hi}`;
      end = b;
    }
  }
  if (stepPart !== undefined) {
    if (!/^[0-9]+$/.test(stepPart)) return `failed to parse int from ${stepPart}`;
    if (Number(stepPart) === 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < field.min) return `beginning of range (${start}) below minimum (${field.min}): ${expr}`;
  if (end > field.max) return `end of range (${end}) above maximum (${field.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

/** The CronJob controller's schedule syntax (cron.ParseStandard), as the API server checks it on create. */
export function cronSchedule(value: string): Verdict {
  // validation.go validateScheduleFormat: strings.Contains(schedule, "TZ") is refused on create.
  if (value.includes("TZ")) return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
  const spec = value.trim();
  if (spec === "") return "empty spec string";
  if (spec.startsWith("@")) {
    if (DESCRIPTORS.has(spec)) return undefined;
    if (spec.startsWith("@every ")) {
      return goDuration(spec.slice("@every ".length).trim()) ? undefined : `failed to parse duration ${spec}`;
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${spec}`;
  for (const [i, f] of fields.entries()) {
    for (const part of f.split(",")) {
      const problem = rangeProblem(part, FIELDS[i]!);
      if (problem) return `${FIELDS[i]!.name}: ${problem}`;
    }
  }
  return undefined;
}

// (read on the first name that is not UTC: listing them, and ICU's first formatter, cost 10-100 ms)
let supportedZones: Set<string> | undefined;
/** UTC's names in the tz database, which Intl does not list (it lists canonical names only): the settings' default. */
const UTC_NAMES = new Set(["UTC", "Etc/UTC"]);

/**
 * An IANA time zone name Go's time.LoadLocation finds in the tz database (case-sensitive, like the files of
 * zoneinfo): the canonical names Intl lists, plus the aliases (Etc/UTC, UTC, US/Eastern, Europe/Kyiv, ...) that
 * ICU accepts and are spelled as tz database names. Offsets such as +05:00 are not zone names.
 */
const zoneVerdicts = new Map<string, Verdict>();

export function timeZone(value: string): Verdict {
  if (!zoneVerdicts.has(value)) zoneVerdicts.set(value, zoneVerdict(value));
  return zoneVerdicts.get(value);
}

/** Asking ICU costs a formatter per call: each name is judged once per process (timeZone above). */
function zoneVerdict(value: string): Verdict {
  if (value.toLowerCase() === "local") return "must not be Local: the time zone of the controller manager is not the cluster's";
  if (UTC_NAMES.has(value)) return undefined;
  supportedZones ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (supportedZones.has(value)) return undefined;
  const named = value.split("/").every((segment) => /^[A-Z][A-Za-z0-9_+-]*$/.test(segment));
  if (named) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: value });
      return undefined;
    } catch {
      // not a zone ICU knows
    }
  }
  return `unknown time zone ${value}: expected an IANA time zone name such as Etc/UTC or Europe/Berlin`;
}
