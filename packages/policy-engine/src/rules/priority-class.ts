import { asRecord, asString, containersOf, kindOf, NO_VIOLATIONS, podTemplateOf, WORKLOAD_KINDS } from "../helpers.ts";
import type { CheckRule, K8sObject } from "../types.ts";

const DATA_STORE_IMAGE = /(^|\/)(postgres|postgresql|mysql|mariadb|mongo|mongodb|redis|valkey|etcd|elasticsearch|opensearch|cassandra|rabbitmq|kafka|zookeeper|minio)([:@]|$)/i;

/** A database, cache or queue: a StatefulSet, or a workload running a well-known data store image. */
function isDataStore(o: K8sObject): boolean {
  if (kindOf(o) === "StatefulSet") return true;
  const t = podTemplateOf(o);
  return !!t && containersOf(t, { includeInit: false }).some((c) => DATA_STORE_IMAGE.test(asString(c.container.image) ?? ""));
}

export default {
  id: "priority-class",
  title: "Data stores should run with a priority class",
  category: "availability",
  severity: "warning",
  rationale: "Under node pressure the scheduler preempts and the kubelet evicts the lowest priority first; a database without a priority class goes down with the batch jobs, and every client with it.",
  remediation: "Set spec.priorityClassName to a PriorityClass above the default for databases and caches (e.g. one rendered with the stack).",
  kinds: WORKLOAD_KINDS,
  parameters: {
    dataStoresOnly: { default: true, description: "check only data stores (StatefulSets, database and cache images); false: every workload", peers: "Polaris priorityClassNotSet checks every workload" },
  },
  check: (o, ctx) => {
    const t = podTemplateOf(o);
    if (!t || asRecord(t.spec).priorityClassName) return NO_VIOLATIONS;
    if (ctx.params.dataStoresOnly !== false && !isDataStore(o)) return NO_VIOLATIONS;
    return [{ message: "sets no priorityClassName", path: t.specPath }];
  },
} satisfies CheckRule;
