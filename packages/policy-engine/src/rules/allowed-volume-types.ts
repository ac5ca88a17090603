import { eachVolume, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

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
  check: (o) =>
    eachVolume(o, (volume, name, path) =>
      Object.keys(volume)
        .filter((type) => type !== "name" && !ALLOWED.has(type))
        .map((type) => ({ message: `volume "${name}" is of type ${type}`, path: `${path}/${type}` })),
    ),
} satisfies CheckRule;
