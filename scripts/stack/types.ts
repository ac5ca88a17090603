// What the stack model hands to the generator: typed kubernetes-models objects plus how each is emitted.
import type { Model } from "@kubernetes-models/base";
import type { Settings } from "../settings/schema.ts";

/** Any kubernetes-models object (they all carry apiVersion, kind and metadata). */
export type KubeObject = Model<unknown> & {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
};

/** Optional features shipped as Kustomize Components (components/<name>/), switched on per environment. */
export type ComponentName =
  | "pgadmin"
  | "redis-commander"
  | "monitoring"
  | "backup-volume"
  | "backup-s3"
  | "external-secrets"
  | "ingress"
  | "gateway-api"
  | "velero";

export interface StackObject {
  object: KubeObject;
  /** The stack module that built it, named in the generated file's header. */
  source: string;
  /** Set when the object lives in a Kustomize Component instead of the base. */
  component?: ComponentName;
  /**
   * Emitted through a kustomize generator (hash-suffixed name, so a change rolls the pods using it):
   * "env" = one key per line, "files" = one file per key.
   */
  generator?: "env" | "files";
  /** Secrets built from the git-ignored local credentials (dev, minikube). */
  localCredentials?: boolean;
}

export interface StackContext {
  settings: Settings;
  /** Local credentials by Secret name, when settings.credentials.source is "local". */
  localCredentials?: Record<string, Record<string, string>>;
}
