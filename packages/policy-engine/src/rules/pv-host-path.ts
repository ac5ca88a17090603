import { asRecord, asString, NO_VIOLATIONS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

export default {
  id: "pv-host-path",
  title: "PersistentVolumes must not use hostPath outside local clusters",
  category: "storage",
  severity: "error",
  rationale: "A hostPath volume lives on one node's disk: the data is lost with the node and pods are silently rescheduled onto empty directories elsewhere. Fine for a single-node dev cluster, not for production.",
  remediation: "Use a CSI-backed StorageClass (EBS on eks) or a `local` volume with nodeAffinity; the dev profile allows hostPath.",
  kinds: ["PersistentVolume"],
  check: (o) => {
    const hostPath = asRecord(o.spec).hostPath;
    return hostPath === undefined ? NO_VIOLATIONS : [{ message: `volume uses hostPath ${asString(asRecord(hostPath).path) ?? ""}`, path: "/spec/hostPath" }];
  },
} satisfies CheckRule;
