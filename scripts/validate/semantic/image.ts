// Image references as the distribution reference grammar defines them (github.com/distribution/reference,
// regexp.go): what a container runtime can pull. Kubernetes stores any non-empty image string; a reference
// outside this grammar never pulls (InvalidImageName), so it is refused before it reaches a cluster.
import type { Verdict } from "./names.ts";

// regexp.go: alphanumeric = `[a-z0-9]+`; separator = `(?:[._]|__|[-]+)`
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
// regexp.go: domainNameComponent = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`, ipv6address = `\[(?:[a-fA-F0-9:]+)\]`
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
// regexp.go: tag = `[\w][\w.-]{0,127}`; digest = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
// regexp.go: ReferenceRegexp = anchored(namePat, optional(`:`, tag), optional(`@`, digest))
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_TOTAL_LENGTH_MAX = 255; // reference.go NameTotalLengthMax
// go-digest algorithm.go: the registered algorithms and their encoded lengths.
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** reference.Parse / ParseNormalizedNamed: a pullable image reference with a lowercase repository. */
export function imageReference(value: string): Verdict {
  if (value === "") return "must not be empty";
  if (value !== value.trim()) return "must not have leading or trailing whitespace";
  const m = REFERENCE.exec(value);
  if (!m) {
    // reference.ParseNormalizedNamed's own message when only the case is wrong.
    if (REFERENCE.test(value.toLowerCase())) return "repository name must be lowercase";
    return "invalid reference format: expected [registry/]repository[:tag][@digest] with a lowercase repository (e.g. ghcr.io/ibm/mcp-context-forge:v1.0.8)";
  }
  if (m[1]!.length > NAME_TOTAL_LENGTH_MAX) return `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;
  if (m[3]) {
    // reference.Parse validates the digest (opencontainers/go-digest): a registered algorithm, hex of its length.
    const [algorithm, hex] = m[3].split(":") as [string, string];
    const length = DIGEST_HEX_LENGTH[algorithm];
    if (length === undefined) return `unsupported digest algorithm ${algorithm}`;
    if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) return `invalid checksum digest length or format: ${algorithm} needs ${length} lowercase hex digits`;
  }
  return undefined;
}
