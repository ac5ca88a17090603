import { asArray, asString, isRecord, NO_VIOLATIONS, podTemplateOf, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

/** Pod Security 'restricted' volume types. hostPath is reported by no-host-path-volumes instead. */
const ALLOWED = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret", "hostPath"]);

export default {
  id: "allowed-volume-types",
  title: "Pods may use only restricted volume types",
  category: "security",
  severity: "error",
  rationale: "Volume types such as nfs, iscsi, gitRepo or cephfs mount node or network storage directly and bypass claims and their access control.",
  remediation: "Use a PersistentVolumeClaim (or configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral) instead.",
  kinds: WORKLOAD_KINDS,
  check: (o) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const out: Violation[] = [];
    asArray(t.spec.volumes).forEach((v, i) => {
      if (!isRecord(v)) return;
      for (const type of Object.keys(v)) {
        if (type === "name" || ALLOWED.has(type)) continue;
        out.push({ message: `volume "${asString(v.name) ?? i}" is of type ${type}`, path: `${t.specPath}/volumes/${i}/${type}` });
      }
    });
    return out;
  },
} satisfies CheckRule;
