import { asArray, asRecord, asString, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "duplicate-env",
  title: "Environment variable names must be unique in a container",
  category: "reliability",
  severity: "error",
  rationale: "With duplicate names only the last value counts, server-side apply rejects the list, and reviewers read the wrong one.",
  remediation: "Remove the duplicate env entry.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const seen = new Set<string>();
      const out: Violation[] = [];
      asArray(c.container.env).forEach((e, i) => {
        const name = asString(asRecord(e).name);
        if (name === undefined) return;
        if (seen.has(name)) out.push({ message: `container "${c.name}" defines ${name} more than once`, path: `${c.path}/env/${i}` });
        seen.add(name);
      });
      return out;
    }),
} satisfies CheckRule;
