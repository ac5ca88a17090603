import { configMapEntries } from "../env.ts";
import type { CheckRule } from "../types.ts";
import { literalSecretProblem } from "./secret-literal-env.ts";

export default {
  id: "no-secrets-in-configmap",
  title: "ConfigMaps must not hold secrets",
  category: "secrets",
  severity: "error",
  rationale: "ConfigMaps are readable by anyone who can read the namespace's configuration and are never encrypted at rest.",
  remediation: "Move secret keys (passwords, tokens, JWT/encryption keys, URLs with passwords) into a Secret and load it with envFrom.secretRef.",
  kinds: ["ConfigMap"],
  check: (o) => configMapEntries(o).flatMap((e) => {
    const problem = literalSecretProblem(e.key, e.value);
    return problem ? [{ message: problem, path: e.path }] : [];
  }),
} satisfies CheckRule;
