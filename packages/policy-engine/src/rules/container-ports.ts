import { asArray, asRecord, asString, eachContainer, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, Violation } from "../types.ts";

export default {
  id: "container-ports",
  title: "Container ports must have a number and a unique valid name",
  category: "reliability",
  severity: "error",
  rationale: "A port without containerPort, a name longer than 15 characters or not an IANA service name is rejected by the API server; two ports with one name make every reference to it ambiguous.",
  remediation: "Give every port a containerPort and a unique lower-case name of at most 15 characters.",
  kinds: WORKLOAD_KINDS,
  check: (o) =>
    eachContainer(o, (c) => {
      const out: Violation[] = [];
      const seen = new Set<string>();
      asArray(c.container.ports).forEach((raw, i) => {
        const p = asRecord(raw);
        const at = `${c.path}/ports/${i}`;
        if (p.containerPort === undefined || p.containerPort === null) out.push({ message: `container "${c.name}" port #${i} has no containerPort`, path: at });
        const name = asString(p.name);
        if (name === undefined) return;
        if (name.length > 15) out.push({ message: `container "${c.name}" port name "${name}" is longer than 15 characters`, path: `${at}/name` });
        else if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) || !/[a-z]/.test(name) || name.includes("--")) out.push({ message: `container "${c.name}" port name "${name}" is not a valid IANA service name`, path: `${at}/name` });
        if (seen.has(name)) out.push({ message: `container "${c.name}" has two ports named "${name}"`, path: `${at}/name` });
        seen.add(name);
      });
      return out;
    }),
} satisfies CheckRule;
