// What kube-apiserver's generic validation accepts for names, labels, annotations, keys, ports, IPs and
// quantities. Each rule is the regular expression or check of k8s.io/apimachinery/pkg/util/validation/validation.go
// (and pkg/api/validation, pkg/api/resource for quantities) transcribed; the function returns the API server's
// complaint, or undefined when the value is accepted. No project imports: the validate package uses these as is.
const net = process.getBuiltinModule("node:net");

/** A rule's verdict: undefined = accepted, otherwise why the API server would refuse the value. */
export type Verdict = string | undefined;

const re = (source: string) => new RegExp(`^(?:${source})$`);

// validation.go: dns1123LabelFmt, DNS1123LabelMaxLength = 63
const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL = re(DNS1123_LABEL_FMT);
// validation.go: dns1123SubdomainFmt = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*", DNS1123SubdomainMaxLength = 253
const DNS1123_SUBDOMAIN = re(`${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`);
// validation.go: dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?" (Service names)
const DNS1035_LABEL = re("[a-z]([-a-z0-9]*[a-z0-9])?");
// validation.go: qnameCharFmt "[A-Za-z0-9]", qnameExtCharFmt "[-A-Za-z0-9_.]", qualifiedNameFmt, QualifiedNameMaxLength = 63
const QUALIFIED_NAME = re("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
// validation.go: labelValueFmt = "(" + qualifiedNameFmt + ")?", LabelValueMaxLength = 63
const LABEL_VALUE = re("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
// validation.go: envVarNameFmt = "[-._a-zA-Z][-._a-zA-Z0-9]*"
const ENV_VAR_NAME = re("[-._a-zA-Z][-._a-zA-Z0-9]*");
// validation.go: configMapKeyFmt = "[-._a-zA-Z0-9]+"
const CONFIG_MAP_KEY = re("[-._a-zA-Z0-9]+");
// validation.go: portNameCharsetFmt = "[-a-z0-9]+", portNameOneLetterFmt = ".*[a-z].*"
const PORT_NAME_CHARSET = re("[-a-z0-9]+");
// validation.go: wildcard DNS-1123 subdomain "\\*\\." + dns1123SubdomainFmt
const WILDCARD_DNS1123_SUBDOMAIN = re(`\\*\\.${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`);

const tooLong = (value: string, max: number): Verdict => (value.length > max ? `must be no more than ${max} characters` : undefined);

/** IsDNS1123Label: namespaces, container, volume and port-less object names. */
export function dns1123Label(value: string): Verdict {
  return (
    tooLong(value, 63) ??
    (DNS1123_LABEL.test(value)
      ? undefined
      : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name')")
  );
}

/** IsDNS1123Subdomain: most object names (ConfigMap, Secret, Deployment, StorageClass, ...). */
export function dns1123Subdomain(value: string): Verdict {
  return (
    tooLong(value, 253) ??
    (DNS1123_SUBDOMAIN.test(value)
      ? undefined
      : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')")
  );
}

/** IsDNS1035Label: Service names (they become DNS names and environment variable prefixes). */
export function dns1035Label(value: string): Verdict {
  return (
    tooLong(value, 63) ??
    (DNS1035_LABEL.test(value)
      ? undefined
      : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name')")
  );
}

/** IsQualifiedName: label keys and annotation keys, `[prefix/]name` with a DNS-1123 subdomain prefix. */
export function qualifiedName(value: string): Verdict {
  const parts = value.split("/");
  let name = value;
  if (parts.length > 2) return "a qualified name must consist of a name with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    if (prefix === "") return "prefix part must be non-empty";
    const p = dns1123Subdomain(prefix);
    if (p) return `prefix part ${p}`;
    name = rest;
  }
  if (name === "") return "name part must be non-empty";
  if (name.length > 63) return "name part must be no more than 63 characters";
  if (!QUALIFIED_NAME.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";
  }
  return undefined;
}

/** IsValidLabelValue. */
export function labelValue(value: string): Verdict {
  return (
    tooLong(value, 63) ??
    (LABEL_VALUE.test(value)
      ? undefined
      : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')")
  );
}

/** ValidateAnnotations (pkg/api/validation/objectmeta.go): keys are qualified names, checked in lower case. */
export function annotationKey(value: string): Verdict {
  return qualifiedName(value.toLowerCase());
}

/** objectmeta.go TotalAnnotationSizeLimitB: keys and values of one object together at most 256 KiB. */
export function annotationsSize(annotations: Record<string, string>): Verdict {
  const size = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
  return size > 256 * 1024 ? `annotations total ${size} bytes, more than the 262144 bytes allowed` : undefined;
}

/** IsEnvVarName. */
export function envVarName(value: string): Verdict {
  return ENV_VAR_NAME.test(value)
    ? undefined
    : "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name' or 'MY_ENV.NAME' or 'MyEnvName1')";
}

/** IsConfigMapKey: keys of ConfigMap and Secret data. */
export function configMapKey(value: string): Verdict {
  if (value.length > 253) return "must be no more than 253 characters";
  if (!CONFIG_MAP_KEY.test(value)) return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name')";
  if (value === ".") return "must not be '.'";
  if (value === "..") return "must not be '..'";
  if (value.startsWith("..")) return "must not start with '..'";
  return undefined;
}

/** IsValidPortNum: 1-65535. */
export function portNumber(value: number): Verdict {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? undefined : "must be between 1 and 65535, inclusive";
}

/** IsValidPortName (IANA_SVC_NAME). */
export function portName(value: string): Verdict {
  if (value.length > 15) return "must be no more than 15 characters";
  if (!PORT_NAME_CHARSET.test(value)) return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
  if (!/[a-z]/.test(value)) return "must contain at least one letter (a-z)";
  if (value.includes("--")) return "must not contain consecutive hyphens";
  if (value.startsWith("-") || value.endsWith("-")) return "must not begin or end with a hyphen";
  return undefined;
}

/** A port given as number or IANA name (Service targetPort, NetworkPolicy port, probes). */
export function portNumberOrName(value: number | string): Verdict {
  return typeof value === "number" ? portNumber(value) : portName(value);
}

/** IsValidIP (strict parsing since Kubernetes 1.33: no leading zeros in IPv4). */
export function ipAddress(value: string): Verdict {
  return net.isIP(value) ? undefined : "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
}

/** IsValidCIDR: an IP address and a prefix length within its family's size. */
export function cidr(value: string): Verdict {
  const m = /^([^/]+)\/(0|[1-9][0-9]{0,2})$/.exec(value);
  const family = m ? net.isIP(m[1]!) : 0;
  if (!m || family === 0) return "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
  const max = family === 4 ? 32 : 128;
  return Number(m[2]) > max ? `must be a valid CIDR value: prefix length ${m[2]} is more than ${max} for IPv${family}` : undefined;
}

/** An Ingress rule host: a DNS-1123 subdomain, optionally with a leading `*.`, and not an IP address. */
export function ingressHost(value: string): Verdict {
  // An IPv6 address has a colon: the (costly) IPv6 check runs only then.
  if (net.isIPv4(value) || (value.includes(":") && net.isIPv6(value))) return "must be a DNS name, not an IP address";
  if (value.startsWith("*.")) {
    return tooLong(value, 253) ?? (WILDCARD_DNS1123_SUBDOMAIN.test(value) ? undefined : "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain (e.g. '*.example.com')");
  }
  return dns1123Subdomain(value);
}

// pkg/api/resource/quantity.go: <signedNumber><suffix>; suffix = binarySI | decimalSI | decimalExponent.
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
const SUFFIX_FACTOR: Record<string, number> = {
  "": 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** resource.ParseQuantity: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'". */
export function quantity(value: string): Verdict {
  return QUANTITY.test(value) ? undefined : "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (e.g. 500m, 2, 768Mi, 5Gi)";
}

/** A quantity's value as a number (approximate: enough to compare requests with limits). */
export function quantityValue(value: string): number | undefined {
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const suffix = m[2] ?? "";
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX_FACTOR[suffix]!;
  return Number(m[1]) * factor;
}

/** ValidateNonnegativeQuantity: resource requests, limits and storage sizes. */
export function nonNegativeQuantity(value: string): Verdict {
  return quantity(value) ?? ((quantityValue(value) ?? 0) < 0 ? "must be greater than or equal to 0" : undefined);
}
