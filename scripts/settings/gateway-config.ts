// gateway.config keys the pinned gateway does not know. The gateway's Settings class ignores unknown environment
// variables silently (mcpgateway/config.py:3129, extra="ignore"), so a typo such as LOG_LEVLE would just not apply.
// The names come from gateway-config-names.json: every field of Settings at v1.0.8 plus the variables the image's
// entrypoint and gunicorn scripts read (origin and file:line in the data file).
import { closest, distance } from "fastest-levenshtein";
const fs = process.getBuiltinModule("node:fs");

interface NamesFile {
  origin: string;
  settings: string[];
  gunicorn: string[];
  entrypoint: string[];
}

const data = JSON.parse(fs.readFileSync(new URL("./gateway-config-names.json", import.meta.url), "utf8")) as NamesFile;

/** Every name the gateway image reads from its environment (upper case; pydantic matches case-insensitively). */
export const GATEWAY_CONFIG_NAMES: ReadonlySet<string> = new Set([...data.settings, ...data.gunicorn, ...data.entrypoint]);
/** The gateway version the names were read from (a tag bump should refresh the data file). */
export const GATEWAY_CONFIG_VERSION = /v\d+\.\d+\.\d+/.exec(data.origin)?.[0] ?? data.origin;

export interface UnknownConfigKey {
  key: string;
  /** The nearest known name, when it is close enough to be a likely typo. */
  suggestion?: string;
}

/** The keys of a gateway.config map the pinned gateway does not read. */
export function unknownGatewayConfigKeys(config: Record<string, string>): UnknownConfigKey[] {
  const names = [...GATEWAY_CONFIG_NAMES];
  return Object.keys(config)
    .filter((key) => !GATEWAY_CONFIG_NAMES.has(key.toUpperCase()))
    .map((key) => {
      const nearest = closest(key.toUpperCase(), names);
      // A third of the name may differ: LOG_LEVLE -> LOG_LEVEL, but not FOO -> GUNICORN_TIMEOUT.
      return distance(key.toUpperCase(), nearest) <= Math.max(2, Math.floor(key.length / 3)) ? { key, suggestion: nearest } : { key };
    });
}
