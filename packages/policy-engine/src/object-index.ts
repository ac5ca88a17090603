// An index over the whole rendered set, built once per evaluation, so cross-object rules
// (Service → pods, PDB → workloads, claim → volume, …) are lookups rather than scans.
import type { K8sObject, SourceObject } from "./types.ts";
import {
  asNumber,
  asRecord,
  asString,
  kindOf,
  mapSelectorMatches,
  nameOf,
  namespaceOf,
  podTemplateOf,
  selectorMatches,
  stableStringify,
  type PodTemplate,
} from "./helpers.ts";

export interface Workload {
  object: K8sObject;
  template: PodTemplate;
  namespace: string;
}

const key = (kind: string, namespace: string, name: string) => `${kind}\u0000${namespace}\u0000${name}`;

export class ObjectIndex {
  readonly sources: readonly SourceObject[];
  private readonly byKey = new Map<string, K8sObject>();
  private readonly byKind = new Map<string, K8sObject[]>();
  private readonly kindInNamespace = new Map<string, K8sObject[]>();
  private readonly workloadsByNamespace = new Map<string, Workload[]>();
  private readonly hpaByTarget = new Map<string, K8sObject[]>();
  private readonly sourceOf = new Map<K8sObject, SourceObject>();

  constructor(sources: readonly SourceObject[]) {
    this.sources = sources;
    for (const source of sources) {
      const o = source.object;
      this.sourceOf.set(o, source);
      const kind = kindOf(o);
      const ns = namespaceOf(o);
      this.byKey.set(key(kind, ns, nameOf(o)), o);
      push(this.byKind, kind, o);
      push(this.kindInNamespace, `${kind}\u0000${ns}`, o);
      const template = podTemplateOf(o);
      if (template) push(this.workloadsByNamespace, ns, { object: o, template, namespace: ns });
      if (kind === "HorizontalPodAutoscaler") {
        const ref = asRecord(asRecord(o.spec).scaleTargetRef);
        push(this.hpaByTarget, key(asString(ref.kind) ?? "", ns, asString(ref.name) ?? ""), o);
      }
    }
  }

  private readonly memos = new Map<string, unknown>();

  /** A value derived from the whole set, computed once per evaluation (cross-object rules index their lookups here). */
  memo<T>(key: string, compute: (index: ObjectIndex) => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute(this));
    return this.memos.get(key) as T;
  }

  source(o: K8sObject): SourceObject | undefined {
    return this.sourceOf.get(o);
  }

  find(kind: string, namespace: string, name: string): K8sObject | undefined {
    return this.byKey.get(key(kind, namespace, name));
  }

  ofKind(kind: string, namespace?: string): readonly K8sObject[] {
    return (namespace === undefined ? this.byKind.get(kind) : this.kindInNamespace.get(`${kind}\u0000${namespace}`)) ?? [];
  }

  workloads(namespace: string): readonly Workload[] {
    return this.workloadsByNamespace.get(namespace) ?? [];
  }

  private readonly byLabel = new Map<string, Map<string, Workload[]>>();
  private readonly selections = new Map<string, Workload[]>();

  /** Workloads of a namespace by pod label `key=value`, built on first use. */
  private labelIndex(namespace: string): Map<string, Workload[]> {
    let index = this.byLabel.get(namespace);
    if (!index) {
      index = new Map();
      for (const w of this.workloads(namespace)) for (const [k, v] of Object.entries(w.template.labels)) push(index, `${k}=${String(v)}`, w);
      this.byLabel.set(namespace, index);
    }
    return index;
  }

  /**
   * The workloads a selector's required labels can match: the shortest list among its matchLabels entries
   * (all workloads of the namespace when it has none), so a selector is tested on a few candidates, not every pod.
   */
  private candidates(matchLabels: Record<string, unknown>, namespace: string): readonly Workload[] {
    const entries = Object.entries(matchLabels);
    if (entries.length === 0) return this.workloads(namespace);
    const index = this.labelIndex(namespace);
    let best: readonly Workload[] | undefined;
    for (const [k, v] of entries) {
      const list = index.get(`${k}=${String(v)}`) ?? [];
      if (!best || list.length < best.length) best = list;
      if (best.length === 0) break;
    }
    return best ?? [];
  }

  private select(kind: string, selector: unknown, namespace: string, compute: () => Workload[]): Workload[] {
    // Renamed copies share selectors: one evaluation per distinct selector and namespace.
    const key = `${kind}\u0000${namespace}\u0000${stableStringify(selector)}`;
    let result = this.selections.get(key);
    if (!result) this.selections.set(key, (result = compute()));
    return result;
  }

  /** Workloads whose pod template a LabelSelector selects (PDB, NetworkPolicy). An empty selector selects all pods. */
  selectedBy(selector: unknown, namespace: string): Workload[] {
    return this.select("label", selector, namespace, () =>
      this.candidates(asRecord(asRecord(selector).matchLabels), namespace).filter((w) => selectorMatches(selector, w.template.labels)),
    );
  }

  /** Workloads whose pod template a Service's map selector selects. */
  selectedByService(selector: Record<string, unknown>, namespace: string): Workload[] {
    if (Object.keys(selector).length === 0) return [];
    return this.select("map", selector, namespace, () => this.candidates(selector, namespace).filter((w) => mapSelectorMatches(selector, w.template.labels)));
  }

  hpasFor(o: K8sObject): readonly K8sObject[] {
    return this.hpaByTarget.get(key(kindOf(o), namespaceOf(o), nameOf(o))) ?? [];
  }

  /**
   * The least number of pods a controller runs: the HPA minimum when one targets it, else spec.replicas
   * (`unset` when absent: 1 is the API default; a rule may count an unset field otherwise, as kube-score does).
   */
  minReplicas(o: K8sObject, unset = 1): number {
    const hpa = this.hpasFor(o)[0];
    if (hpa) return asNumber(asRecord(hpa.spec).minReplicas) ?? 1;
    return asNumber(asRecord(o.spec).replicas) ?? unset;
  }
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
