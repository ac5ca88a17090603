// A StorageClass rendered with the overlay when settings ask (settings.storageClass): EKS ships only gp2, so the
// gp3 class the claims name must come from somewhere. Cluster-scoped, in the config wave (before the claims), and
// never pruned or deleted by Argo CD: other workloads of the cluster may use it too.
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import type { Settings } from "../settings/schema.ts";
import { clusterMetadata, stackLabels } from "./meta.ts";
import { KEEP_ON_PRUNE_AND_DELETE } from "./shapes.ts";
import type { StackObject } from "./types.ts";

export function storageClass(s: Settings): StackObject[] {
  const c = s.storageClass;
  if (!c.create) return [];
  const object = new StorageClass({
    metadata: clusterMetadata(c.name, stackLabels(s, "storage"), s, KEEP_ON_PRUNE_AND_DELETE),
    provisioner: c.provisioner,
    parameters: { ...c.parameters },
    reclaimPolicy: c.reclaimPolicy,
    // A volume is created in the zone of the pod that first uses it (PostgreSQL's StatefulSet, spread pods).
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  });
  return [{ object, source: "scripts/stack/storage-class.ts" }];
}
