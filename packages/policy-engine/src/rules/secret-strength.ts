import { asArray, asRecord, asString, eachContainer, kindOf, podTemplateOf } from "../helpers.ts";
import { configMapEntries, secretEntries } from "../env.ts";
import { credentialWeakness } from "../secret-values.ts";
import type { CheckRule, K8sObject, Violation } from "../types.ts";

/** Every rendered name/value pair that may be a credential: Secret and ConfigMap keys, literal env values. */
function entries(o: K8sObject): { key: string; value: string; path: string }[] {
  const kind = kindOf(o);
  if (kind === "Secret") return secretEntries(o);
  if (kind === "ConfigMap") return configMapEntries(o);
  if (!podTemplateOf(o)) return [];
  const out: { key: string; value: string; path: string }[] = [];
  eachContainer(o, (c) => {
    asArray(c.container.env).forEach((e, i) => {
      const key = asString(asRecord(e).name);
      const value = asString(asRecord(e).value);
      if (key !== undefined && value !== undefined) out.push({ key, value, path: `${c.path}/env/${i}/value` });
    });
    return undefined;
  });
  return out;
}

export default {
  id: "secret-strength",
  title: "Rendered credentials must be strong",
  category: "secrets",
  severity: "error",
  rationale: "A signing or encryption key that is empty, shorter than 32 characters, below 3.5 bits/char of entropy, a known weak value or a __REPLACE_ME__ placeholder can be guessed; weak passwords (changeme, admin123, test123) are the first thing an attacker tries.",
  remediation: "Generate keys with openssl rand -base64 48 and passwords of at least 12 random characters.",
  parameters: {
    signingKeys: { default: [] as string[], description: "names (env or Secret/ConfigMap keys) held to the signing-key rules" },
  },
  kinds: ["Secret", "ConfigMap", "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"],
  check: (o, ctx) => {
    const signingKeys = signingKeySet(ctx.params.signingKeys);
    return entries(o).flatMap((e): Violation[] => {
      const weakness = credentialWeakness(e.key, e.value, signingKeys);
      return weakness ? [{ message: weakness, path: e.path }] : [];
    });
  },
} satisfies CheckRule;

const setCache = new WeakMap<object, ReadonlySet<string>>();
function signingKeySet(list: unknown): ReadonlySet<string> {
  if (!Array.isArray(list)) return new Set();
  let set = setCache.get(list);
  if (!set) setCache.set(list, (set = new Set(list.filter((x): x is string => typeof x === "string"))));
  return set;
}
