// Strings YAML 1.1 and 1.2 readers disagree on, or that need quoting: booleans of YAML 1.1, nulls, octal,
// hex, binary, exponent and sexagesimal numbers, timestamps, merge keys, indicators, quotes and unicode.
export const TRICKY_STRINGS = [
  "y", "Y", "n", "N", "yes", "No", "NO", "on", "On", "OFF", "off", "true", "False", "~", "null", "Null", "",
  "0x10", "0b101", "1e3", "1E3", "010", "007", "0o7", "1_000", ".inf", "-.Inf", ".NaN", "+1", "-0", "3.", ".5",
  "1:20", "12:30:45", "2001-12-14", "2001-12-14T21:59:43.10-05:00", "<<", "=", "a: b", "a:b", "key: value #c",
  "#comment", "x #y", "'single'", '"double"', "it's", "-", "- item", "? q", "@at", "`tick", "%pct", "!tag", "*ref",
  "&anchor", "|", ">", "{a: 1}", "[1, 2]", " leading", "trailing ", "tab\there", "ünïcödé", "日本語", "emoji 🚀",
  "\u00a0nbsp", "back\\slash", "00123", "0123456789", "1.0", "1.10", "v1.0.8",
];
