import { asRecord } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "no-secret-data",
  title: "No Secret with data may be committed",
  category: "secrets",
  severity: "error",
  rationale: "Base64 is not encryption: a Secret with data in git is a leaked credential. Production secrets come from an ExternalSecret or SealedSecret; the dev profile allows locally generated ones.",
  remediation: "Render an ExternalSecret/SealedSecret instead, or generate the Secret at deploy time from git-ignored files.",
  kinds: ["Secret"],
  check: (o) => {
    const out: Violation[] = [];
    for (const field of ["data", "stringData"]) {
      const count = Object.keys(asRecord(o[field])).length;
      if (count > 0) out.push({ message: `Secret carries ${count} key(s) in ${field}`, path: `/${field}` });
    }
    return out;
  },
} satisfies CheckRule;
