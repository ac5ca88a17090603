import { asArray, asRecord, asString, isRecord, NO_VIOLATIONS, podTemplateOf, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

const SENSITIVE = /^\/($|etc|proc|sys|root|boot|dev|var\/run|run|var\/lib\/kubelet|var\/lib\/docker)|docker\.sock|containerd\.sock|crio\.sock/;

export default {
  id: "no-host-path-volumes",
  title: "Pods must not mount hostPath volumes",
  category: "security",
  severity: "error",
  rationale: "A hostPath volume gives the pod the node's filesystem; sensitive paths (/, /etc, the container runtime socket) amount to node takeover.",
  remediation: "Use a PersistentVolumeClaim; for node-local storage provision a PersistentVolume (pv-host-path governs where that is allowed).",
  kinds: WORKLOAD_KINDS,
  check: (o) => {
    const t = podTemplateOf(o);
    if (!t) return NO_VIOLATIONS;
    const out: Violation[] = [];
    asArray(t.spec.volumes).forEach((v, i) => {
      if (!isRecord(v) || v.hostPath === undefined) return;
      const hostPath = asString(asRecord(v.hostPath).path) ?? "";
      const sensitive = SENSITIVE.test(hostPath) ? " (a sensitive host path)" : "";
      out.push({ message: `volume "${asString(v.name) ?? i}" mounts host path ${hostPath}${sensitive}`, path: `${t.specPath}/volumes/${i}/hostPath` });
    });
    return out;
  },
} satisfies CheckRule;
