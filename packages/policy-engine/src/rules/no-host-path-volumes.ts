import { asRecord, asString, eachVolume, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule } from "../types.ts";

const SENSITIVE = /^\/($|etc|proc|sys|root|boot|dev|var\/run|run|var\/lib\/kubelet|var\/lib\/docker)|docker\.sock|containerd\.sock|crio\.sock/;

export default {
  id: "no-host-path-volumes",
  title: "Pods must not mount hostPath volumes",
  category: "security",
  severity: "error",
  rationale: "A hostPath volume gives the pod the node's filesystem; sensitive paths (/, /etc, the container runtime socket) amount to node takeover.",
  remediation: "Use a PersistentVolumeClaim; for node-local storage provision a PersistentVolume (pv-host-path governs where that is allowed).",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachVolume(o, (volume, name, path) => {
      if (volume.hostPath === undefined) return undefined;
      const hostPath = asString(asRecord(volume.hostPath).path) ?? "";
      const sensitive = SENSITIVE.test(hostPath) ? " (a sensitive host path)" : "";
      return { message: `volume "${name}" mounts host path ${hostPath}${sensitive}`, path: `${path}/hostPath` };
    }),
} satisfies CheckRule;
