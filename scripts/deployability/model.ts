// The rendered objects as the analyses see them: kind, name, Argo CD wave and hook, where they are in
// the file, and the pod spec of workloads. Reads YAML only; knows nothing about the project.
import jsyaml from "js-yaml";
import { LineCounter, parseAllDocuments } from "yaml";
import { InputError } from "../lib/cli.ts";

import { asArray, asRecord, asString, isRecord, selectorMatches, splitDocuments, type Json } from "@mcp-stack/policy-engine";

export { isRecord, selectorMatches, type Json };
export const rec = asRecord;
export const arr = asArray;
export const str = asString;

export const WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";
export const HOOK_ANNOTATION = "argocd.argoproj.io/hook";
export const SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options";

export interface Obj {
  object: Json;
  apiVersion: string;
  /** API group ("" for the core group). */
  group: string;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Argo CD sync wave (0 when unannotated). */
  wave: number;
  /** Argo CD hook phases (PreSync, Sync, PostSync, ...); empty for plain resources. */
  hooks: string[];
  syncOptions: string[];
  file: string;
  line: number;
}

export const keyOf = (kind: string, name: string) => `${kind}/${name}`;

/**
 * Parses a multi-document YAML stream of Kubernetes objects; a bad document is an InputError naming it. Documents
 * are read with js-yaml's YAML 1.2 core schema (what the yaml package reads by default, several times faster); a
 * stream it refuses, or that holds anything but objects, is read again with the yaml package for its message.
 */
export function parseObjects(text: string, file: string): Obj[] {
  const out: Obj[] = [];
  for (const chunk of splitDocuments(text)) {
    let object: unknown;
    try {
      object = jsyaml.load(chunk.text, { schema: jsyaml.CORE_SCHEMA });
    } catch {
      return parseObjectsWithYaml(text, file);
    }
    if (object === null || object === undefined) continue;
    if (!isRecord(object) || !str(object.kind) || !str(object.apiVersion)) return parseObjectsWithYaml(text, file);
    out.push(toObj(object, file, chunk.line));
  }
  return out;
}

/** The same with the yaml package alone (positions from its CST): the fallback, and the reference in tests. */
export function parseObjectsWithYaml(text: string, file: string): Obj[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const out: Obj[] = [];
  docs.forEach((doc, i) => {
    if (doc.errors.length) throw new InputError(`document ${i + 1}: ${doc.errors[0]!.message.split("\n")[0]}`, { file });
    const object = doc.toJS() as unknown;
    if (object === null || object === undefined) return;
    if (!isRecord(object) || !str(object.kind) || !str(object.apiVersion)) {
      throw new InputError(`document ${i + 1} is not a Kubernetes object`, { file, expected: "apiVersion and kind" });
    }
    out.push(toObj(object, file, lineCounter.linePos(doc.contents?.range?.[0] ?? 0).line));
  });
  return out;
}

function toObj(object: Record<string, unknown>, file: string, line: number): Obj {
  const metadata = rec(object.metadata);
  const annotations = rec(metadata.annotations) as Record<string, string>;
  const apiVersion = object.apiVersion as string;
  const hooks = (annotations[HOOK_ANNOTATION] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return {
    object,
    apiVersion,
    group: apiVersion.includes("/") ? apiVersion.split("/")[0]! : "",
    kind: object.kind as string,
    name: str(metadata.name) ?? "",
    namespace: str(metadata.namespace) ?? "",
    labels: rec(metadata.labels) as Record<string, string>,
    annotations,
    wave: Number.parseInt(annotations[WAVE_ANNOTATION] ?? "0", 10) || 0,
    hooks,
    syncOptions: (annotations[SYNC_OPTIONS_ANNOTATION] ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    file,
    line,
  };
}

/** The name a workload's pods carry (app.kubernetes.io/name), the key the data files use. */
export const appOf = (o: Obj): string => o.labels["app.kubernetes.io/name"] ?? o.name;

export const POD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet"]);

export interface PodView {
  spec: Json;
  labels: Record<string, string>;
  /** JSON pointer of the pod spec inside the object. */
  path: string;
}

export function podOf(o: Obj): PodView | undefined {
  if (!POD_KINDS.has(o.kind)) return undefined;
  if (o.kind === "Pod") return { spec: rec(o.object.spec), labels: o.labels, path: "/spec" };
  if (o.kind === "CronJob") {
    const t = rec(rec(rec(rec(o.object.spec).jobTemplate).spec).template);
    return { spec: rec(t.spec), labels: rec(rec(t.metadata).labels) as Record<string, string>, path: "/spec/jobTemplate/spec/template/spec" };
  }
  const t = rec(rec(o.object.spec).template);
  return { spec: rec(t.spec), labels: rec(rec(t.metadata).labels) as Record<string, string>, path: "/spec/template/spec" };
}

export interface ContainerView {
  c: Json;
  name: string;
  init: boolean;
  path: string;
}

export function containersOf(pod: PodView, { init = true } = {}): ContainerView[] {
  const out: ContainerView[] = [];
  if (init) arr(pod.spec.initContainers).forEach((c, i) => out.push({ c: rec(c), name: str(rec(c).name) ?? "", init: true, path: `${pod.path}/initContainers/${i}` }));
  arr(pod.spec.containers).forEach((c, i) => out.push({ c: rec(c), name: str(rec(c).name) ?? "", init: false, path: `${pod.path}/containers/${i}` }));
  return out;
}

/** Literal env of a container, with ConfigMaps it loads by envFrom resolved from the rendered set. */
export function envOf(c: Json, configMaps: ReadonlyMap<string, Json>): Map<string, string> {
  const env = new Map<string, string>();
  for (const from of arr(c.envFrom)) {
    const cm = str(rec(rec(from).configMapRef).name);
    if (cm) for (const [k, v] of Object.entries(rec(configMaps.get(cm)?.data))) if (typeof v === "string") env.set(`${str(rec(from).prefix) ?? ""}${k}`, v);
  }
  for (const e of arr(c.env)) {
    const name = str(rec(e).name);
    const value = str(rec(e).value);
    if (name && value !== undefined) env.set(name, value);
    const cmRef = rec(rec(rec(e).valueFrom).configMapKeyRef);
    if (name && str(cmRef.name) && str(cmRef.key)) {
      const v = rec(configMaps.get(str(cmRef.name)!)?.data)[str(cmRef.key)!];
      if (typeof v === "string") env.set(name, v);
    }
  }
  return env;
}

/** Everything the analyses look up, built once per environment. */
export class Index {
  readonly objects: readonly Obj[];
  private readonly byKey = new Map<string, Obj>();
  readonly configMaps = new Map<string, Json>();
  constructor(objects: readonly Obj[]) {
    this.objects = objects;
    for (const o of objects) {
      this.byKey.set(keyOf(o.kind, o.name), o);
      if (o.kind === "ConfigMap") this.configMaps.set(o.name, o.object);
    }
  }
  get(kind: string, name: string): Obj | undefined {
    return this.byKey.get(keyOf(kind, name));
  }
  ofKind(...kinds: string[]): Obj[] {
    return this.objects.filter((o) => kinds.includes(o.kind));
  }
  /** Workloads (pod-owning objects) whose app.kubernetes.io/name is `app`. */
  workloads(app: string): Obj[] {
    return this.objects.filter((o) => POD_KINDS.has(o.kind) && appOf(o) === app);
  }
  /** Workloads whose pods a selector picks. */
  podsSelectedBy(selector: unknown): Obj[] {
    return this.objects.filter((o) => {
      const pod = podOf(o);
      return pod !== undefined && Object.keys(rec(selector)).length > 0 && selectorMatches(selector, pod.labels);
    });
  }
}
