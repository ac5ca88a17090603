// Deprecated and removed API versions (Kubernetes deprecation guide). `kinds` omitted = every kind
// served by that group/version. Versions are [major, minor].
type Version = [number, number];

export interface ApiLifecycle {
  apiVersion: string;
  kinds?: readonly string[];
  deprecatedIn: Version;
  removedIn?: Version;
  replacement: string;
}

export const API_LIFECYCLE: readonly ApiLifecycle[] = [
  { apiVersion: "extensions/v1beta1", kinds: ["Ingress"], deprecatedIn: [1, 14], removedIn: [1, 22], replacement: "networking.k8s.io/v1" },
  { apiVersion: "extensions/v1beta1", kinds: ["NetworkPolicy"], deprecatedIn: [1, 9], removedIn: [1, 16], replacement: "networking.k8s.io/v1" },
  { apiVersion: "extensions/v1beta1", kinds: ["PodSecurityPolicy"], deprecatedIn: [1, 10], removedIn: [1, 16], replacement: "Pod Security admission" },
  { apiVersion: "extensions/v1beta1", deprecatedIn: [1, 9], removedIn: [1, 16], replacement: "apps/v1" },
  { apiVersion: "apps/v1beta1", deprecatedIn: [1, 9], removedIn: [1, 16], replacement: "apps/v1" },
  { apiVersion: "apps/v1beta2", deprecatedIn: [1, 9], removedIn: [1, 16], replacement: "apps/v1" },
  { apiVersion: "networking.k8s.io/v1beta1", deprecatedIn: [1, 19], removedIn: [1, 22], replacement: "networking.k8s.io/v1" },
  { apiVersion: "policy/v1beta1", kinds: ["PodSecurityPolicy"], deprecatedIn: [1, 21], removedIn: [1, 25], replacement: "Pod Security admission" },
  { apiVersion: "policy/v1beta1", deprecatedIn: [1, 21], removedIn: [1, 25], replacement: "policy/v1" },
  { apiVersion: "batch/v1beta1", deprecatedIn: [1, 21], removedIn: [1, 25], replacement: "batch/v1" },
  { apiVersion: "batch/v2alpha1", deprecatedIn: [1, 8], removedIn: [1, 21], replacement: "batch/v1" },
  { apiVersion: "autoscaling/v2beta1", deprecatedIn: [1, 22], removedIn: [1, 25], replacement: "autoscaling/v2" },
  { apiVersion: "autoscaling/v2beta2", deprecatedIn: [1, 23], removedIn: [1, 26], replacement: "autoscaling/v2" },
  { apiVersion: "discovery.k8s.io/v1beta1", deprecatedIn: [1, 21], removedIn: [1, 25], replacement: "discovery.k8s.io/v1" },
  { apiVersion: "events.k8s.io/v1beta1", deprecatedIn: [1, 19], removedIn: [1, 25], replacement: "events.k8s.io/v1" },
  { apiVersion: "node.k8s.io/v1beta1", deprecatedIn: [1, 20], removedIn: [1, 25], replacement: "node.k8s.io/v1" },
  { apiVersion: "rbac.authorization.k8s.io/v1beta1", deprecatedIn: [1, 17], removedIn: [1, 22], replacement: "rbac.authorization.k8s.io/v1" },
  { apiVersion: "rbac.authorization.k8s.io/v1alpha1", deprecatedIn: [1, 17], removedIn: [1, 22], replacement: "rbac.authorization.k8s.io/v1" },
  { apiVersion: "admissionregistration.k8s.io/v1beta1", deprecatedIn: [1, 16], removedIn: [1, 22], replacement: "admissionregistration.k8s.io/v1" },
  { apiVersion: "apiextensions.k8s.io/v1beta1", deprecatedIn: [1, 16], removedIn: [1, 22], replacement: "apiextensions.k8s.io/v1" },
  { apiVersion: "apiregistration.k8s.io/v1beta1", deprecatedIn: [1, 19], removedIn: [1, 22], replacement: "apiregistration.k8s.io/v1" },
  { apiVersion: "authentication.k8s.io/v1beta1", deprecatedIn: [1, 19], removedIn: [1, 22], replacement: "authentication.k8s.io/v1" },
  { apiVersion: "authorization.k8s.io/v1beta1", deprecatedIn: [1, 19], removedIn: [1, 22], replacement: "authorization.k8s.io/v1" },
  { apiVersion: "certificates.k8s.io/v1beta1", deprecatedIn: [1, 19], removedIn: [1, 22], replacement: "certificates.k8s.io/v1" },
  { apiVersion: "coordination.k8s.io/v1beta1", deprecatedIn: [1, 19], removedIn: [1, 22], replacement: "coordination.k8s.io/v1" },
  { apiVersion: "scheduling.k8s.io/v1beta1", deprecatedIn: [1, 14], removedIn: [1, 17], replacement: "scheduling.k8s.io/v1" },
  { apiVersion: "scheduling.k8s.io/v1alpha1", deprecatedIn: [1, 14], removedIn: [1, 17], replacement: "scheduling.k8s.io/v1" },
  { apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIStorageCapacity"], deprecatedIn: [1, 24], removedIn: [1, 27], replacement: "storage.k8s.io/v1" },
  { apiVersion: "storage.k8s.io/v1beta1", deprecatedIn: [1, 19], removedIn: [1, 22], replacement: "storage.k8s.io/v1" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1", deprecatedIn: [1, 23], removedIn: [1, 26], replacement: "flowcontrol.apiserver.k8s.io/v1" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", deprecatedIn: [1, 26], removedIn: [1, 29], replacement: "flowcontrol.apiserver.k8s.io/v1" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", deprecatedIn: [1, 29], removedIn: [1, 32], replacement: "flowcontrol.apiserver.k8s.io/v1" },
  { apiVersion: "v1", kinds: ["Endpoints"], deprecatedIn: [1, 33], replacement: "discovery.k8s.io/v1 EndpointSlice" },
  { apiVersion: "v1", kinds: ["ComponentStatus"], deprecatedIn: [1, 19], replacement: "the component's own health endpoints" },
];

export function atLeast(version: Version, than: Version): boolean {
  return version[0] > than[0] || (version[0] === than[0] && version[1] >= than[1]);
}

export function lifecycleOf(apiVersion: string, kind: string): ApiLifecycle | undefined {
  return API_LIFECYCLE.find((l) => l.apiVersion === apiVersion && (!l.kinds || l.kinds.includes(kind)));
}

export const formatVersion = (v: Version): string => `${v[0]}.${v[1]}`;
