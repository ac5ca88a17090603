// Binding manually provisioned PersistentVolumes to claims the way the PV controller does (class,
// capacity, access modes, volume mode, claimRef/volumeName, selector), computed once per rendered set.
import { asArray, asNumber, asRecord, asString, containersOf, kindOf, nameOf, namespaceOf, parseQuantity, podTemplateOf, selectorMatches, labelsOf, type Json } from "./helpers.ts";
import type { ObjectIndex } from "./object-index.ts";
import type { K8sObject } from "./types.ts";

export interface Claim {
  /** The PVC, or the StatefulSet holding the volumeClaimTemplate. */
  owner: K8sObject;
  path: string;
  name: string;
  namespace: string;
  spec: Json;
  /** Set when the claim was bound to a volume of the rendered set. */
  volume?: K8sObject;
  /** Why no volume fits; undefined when bound or when the claim is dynamically provisioned. */
  problem?: string;
}

export interface Binding {
  claims: Claim[];
  claimOfVolume: Map<K8sObject, Claim>;
}

const cache = new WeakMap<ObjectIndex, Binding>();

function claimsOf(index: ObjectIndex): Claim[] {
  const out: Claim[] = [];
  for (const pvc of index.ofKind("PersistentVolumeClaim")) {
    out.push({ owner: pvc, path: "/spec", name: nameOf(pvc), namespace: namespaceOf(pvc), spec: asRecord(pvc.spec) });
  }
  for (const sts of index.ofKind("StatefulSet")) {
    const replicas = asNumber(asRecord(sts.spec).replicas) ?? 1;
    asArray(asRecord(sts.spec).volumeClaimTemplates).forEach((t, i) => {
      const tpl = asRecord(t);
      // StatefulSet claims are named <template>-<statefulset>-<ordinal>.
      for (let n = 0; n < replicas; n++) {
        out.push({ owner: sts, path: `/spec/volumeClaimTemplates/${i}`, name: `${asString(asRecord(tpl.metadata).name) ?? ""}-${nameOf(sts)}-${n}`, namespace: namespaceOf(sts), spec: asRecord(tpl.spec) });
      }
    });
  }
  return out;
}

const storageOf = (claim: Json) => parseQuantity(asRecord(asRecord(claim.resources).requests).storage) ?? 0;
const capacityOf = (pv: K8sObject) => parseQuantity(asRecord(asRecord(pv.spec).capacity).storage) ?? 0;
const classOf = (spec: Json) => asString(spec.storageClassName) ?? "";

/** Why this volume cannot bind this claim, or undefined when it can. */
function mismatch(claim: Claim, pv: K8sObject): string | undefined {
  const spec = asRecord(pv.spec);
  const ref = asRecord(spec.claimRef);
  if (spec.claimRef && (asString(ref.name) !== claim.name || (ref.namespace !== undefined && ref.namespace !== claim.namespace))) return `is reserved for claim ${asString(ref.name) ?? "?"}`;
  const volumeName = asString(claim.spec.volumeName);
  if (volumeName && volumeName !== nameOf(pv)) return "is not the claim's volumeName";
  if (classOf(spec) !== classOf(claim.spec)) return `has storage class "${classOf(spec)}", the claim "${classOf(claim.spec)}"`;
  if (capacityOf(pv) < storageOf(claim.spec)) return `has ${String(asRecord(spec.capacity).storage ?? "no")} capacity, the claim requests ${String(asRecord(asRecord(claim.spec.resources).requests).storage)}`;
  const modes = asArray(spec.accessModes);
  const missing = asArray(claim.spec.accessModes).filter((m) => !modes.includes(m));
  if (missing.length) return `lacks access mode ${missing.join(", ")}`;
  if ((asString(spec.volumeMode) ?? "Filesystem") !== (asString(claim.spec.volumeMode) ?? "Filesystem")) return "has a different volumeMode";
  if (claim.spec.selector !== undefined && !selectorMatches(claim.spec.selector, labelsOf(pv))) return "does not match the claim's selector";
  return undefined;
}

/** A claim is manually provisioned when it asks for class "" or names a volume, or a volume of the set names it or shares its class. */
function isManual(claim: Claim, volumes: readonly K8sObject[]): boolean {
  if (claim.spec.storageClassName === "" || claim.spec.volumeName !== undefined) return true;
  if (claim.spec.storageClassName === undefined) return volumes.some((pv) => asString(asRecord(asRecord(pv.spec).claimRef).name) === claim.name);
  return volumes.some((pv) => classOf(asRecord(pv.spec)) === classOf(claim.spec) || asString(asRecord(asRecord(pv.spec).claimRef).name) === claim.name);
}

export function bindVolumes(index: ObjectIndex): Binding {
  const cached = cache.get(index);
  if (cached) return cached;
  const volumes = [...index.ofKind("PersistentVolume")].sort((a, b) => capacityOf(a) - capacityOf(b));
  const claims = claimsOf(index);
  const claimOfVolume = new Map<K8sObject, Claim>();
  // Claims naming their volume (volumeName / claimRef) bind first, like the controller's pre-bound path.
  const preBound = (c: Claim) => c.spec.volumeName !== undefined || volumes.some((pv) => asString(asRecord(asRecord(pv.spec).claimRef).name) === c.name);
  for (const claim of [...claims.filter(preBound), ...claims.filter((c) => !preBound(c))]) {
    if (!isManual(claim, volumes)) continue;
    const free = volumes.filter((pv) => !claimOfVolume.has(pv));
    const fit = free.find((pv) => mismatch(claim, pv) === undefined);
    if (fit) {
      claim.volume = fit;
      claimOfVolume.set(fit, claim);
      continue;
    }
    const reasons = free.map((pv) => `volume "${nameOf(pv)}" ${mismatch(claim, pv)}`);
    claim.problem = reasons.length ? reasons.join("; ") : "no free PersistentVolume is rendered";
  }
  const binding = { claims, claimOfVolume };
  cache.set(index, binding);
  return binding;
}

const DATABASE_IMAGE = /postgres|mysql|mariadb|mongo|redis|valkey|etcd|minio|elasticsearch|opensearch/i;

/** Does a workload that mounts this claim run a database (by image or component label)? */
export function claimBacksDatabase(index: ObjectIndex, claim: Claim): boolean {
  const workloads = kindOf(claim.owner) === "StatefulSet" ? [claim.owner] : index.workloads(claim.namespace).map((w) => w.object).filter((o) => mountsClaim(o, claim.name));
  return workloads.some((o) => {
    const t = podTemplateOf(o);
    if (!t) return false;
    return /^(database|db|postgres|postgresql|redis|cache)$/.test(String(t.labels["app.kubernetes.io/component"] ?? "")) || containersOf(t).some((c) => DATABASE_IMAGE.test(asString(c.container.image) ?? ""));
  });
}

function mountsClaim(o: K8sObject, claimName: string): boolean {
  return asArray(podTemplateOf(o)?.spec.volumes).some((v) => asRecord(asRecord(v).persistentVolumeClaim).claimName === claimName);
}
