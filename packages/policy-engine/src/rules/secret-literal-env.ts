import { asArray, asRecord, asString, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import { isSecretLikeName, isTrivialValue, PRIVATE_KEY_PEM, urlPassword } from "../secret-values.ts";
import type { CheckRule, Violation } from "../types.ts";

/** Why a literal name/value pair exposes a secret, or undefined. Shared shape with no-secrets-in-configmap. */
export function literalSecretProblem(name: string, value: string): string | undefined {
  if (PRIVATE_KEY_PEM.test(value)) return `${name} holds a private key`;
  if (urlPassword(value) !== undefined) return `${name} embeds a literal password in a URL`;
  if (isSecretLikeName(name) && !isTrivialValue(value)) return `${name} holds a literal secret value`;
  return undefined;
}

export default {
  id: "secret-literal-env",
  title: "No literal secret values in container env",
  category: "secrets",
  severity: "error",
  rationale: "A literal password, token or key in env is stored in git, in the pod spec and in every `kubectl describe`.",
  remediation: "Move the value into a Secret and reference it with valueFrom.secretKeyRef (compose URLs from $(VAR) references).",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const out: Violation[] = [];
      asArray(c.container.env).forEach((e, i) => {
        const name = asString(asRecord(e).name);
        const value = asString(asRecord(e).value);
        if (name === undefined || value === undefined) return;
        const problem = literalSecretProblem(name, value);
        if (problem) out.push({ message: `container "${c.name}": ${problem}`, path: `${c.path}/env/${i}/value` });
      });
      return out;
    }),
} satisfies CheckRule;
