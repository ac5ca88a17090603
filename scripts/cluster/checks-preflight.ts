// The seed's pre-flight checklist, plus what our environments need, as checks against the cluster.
// Each check is data (id, title, remediation) plus one small function returning verdicts.
import { requiredSecrets } from "../stack/credentials.ts";
import { HTTPROUTE_HEALTH, INGRESS_HEALTH } from "../stack/argocd-health.ts";
import { conditionOf, type Kubectl, type KubeJson, type ServerVersion } from "./kubectl.ts";
import { ROUTE_PREFLIGHT_CHECKS } from "./checks-routes.ts";
import { fail, pass, skip, warn, type Check, type Outcome } from "./report.ts";
import {
  MIN_SERVER_VERSION,
  adoptedClaimsOf,
  claimsOf,
  hasHpa,
  ingressClassesOf,
  nameOf,
  ofKind,
  requiredCrds,
  resourcesOf,
  type Target,
} from "./target.ts";

export interface PreflightContext {
  k: Kubectl;
  target: Target;
  context: string;
  server: ServerVersion;
}

const MIN = `${MIN_SERVER_VERSION.major}.${MIN_SERVER_VERSION.minor}`;
const DEFAULT_CLASS_ANNOTATIONS = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"];
const PSA_LEVELS = ["privileged", "baseline", "restricted"];

/** Pods of each ingress controller we configure annotations for, by their chart's name label. */
export const INGRESS_CONTROLLERS: Record<string, { selector: string; controller: string; install: string }> = {
  "ingress-nginx": {
    selector: "app.kubernetes.io/name=ingress-nginx",
    controller: "k8s.io/ingress-nginx",
    install:
      "install ingress-nginx (minikube: `minikube addons enable ingress`; elsewhere: `helm upgrade --install ingress-nginx ingress-nginx --repo https://kubernetes.github.io/ingress-nginx -n ingress-nginx --create-namespace`)",
  },
  "aws-load-balancer": {
    selector: "app.kubernetes.io/name=aws-load-balancer-controller",
    controller: "ingress.k8s.aws/alb",
    install:
      "install the AWS Load Balancer Controller (`helm upgrade --install aws-load-balancer-controller eks/aws-load-balancer-controller -n kube-system --set clusterName=<cluster>`)",
  },
};

export const versionAtLeast = (v: { major: number; minor: number }, min: { major: number; minor: number }) =>
  v.major > min.major || (v.major === min.major && v.minor >= min.minor);

const isDefaultClass = (sc: KubeJson) => DEFAULT_CLASS_ANNOTATIONS.some((a) => sc.metadata?.annotations?.[a] === "true");

export { conditionOf };

export const PREFLIGHT_CHECKS: Check<PreflightContext>[] = [
  {
    id: "cluster",
    title: "Context and API server reachable",
    remediation: "kubectl config current-context; kubectl cluster-info (VPN, credentials, or pass --context NAME)",
    run: async ({ context, server }) => pass(`context ${context}, API server answers (${server.git})`),
  },
  {
    id: "server-version",
    title: `Server version >= ${MIN}`,
    remediation: `upgrade the cluster to Kubernetes ${MIN} or later (PDB unhealthyPodEvictionPolicy, Pod Security restricted labels)`,
    run: async ({ server }) =>
      versionAtLeast(server, MIN_SERVER_VERSION)
        ? pass(`${server.git} >= ${MIN}`)
        : fail(`${server.git} is older than ${MIN}`),
  },
  {
    id: "permissions",
    title: "Permissions to create what the environment installs",
    remediation: ({ target }) =>
      `ask a cluster admin for a Role/ClusterRole granting create on these resources in namespace ${target.namespace} (kubectl auth can-i --list -n ${target.namespace})`,
    run: async ({ k, target }) => {
      const wanted = resourcesOf(target).map((r) => ({ resource: r.resource, ns: r.namespaced ? target.namespace : undefined }));
      if (target.argocd) wanted.push({ resource: "applications.argoproj.io", ns: target.argocd.namespace });
      const answers = await Promise.all(wanted.map(async (w) => ({ ...w, ok: await k.canI("create", w.resource, w.ns) })));
      const denied = answers.filter((a) => !a.ok).map((a) => (a.ns ? `${a.resource} -n ${a.ns}` : `${a.resource} (cluster)`)).sort();
      return denied.length
        ? fail(`cannot create ${denied.join(", ")}`)
        : pass(`create allowed for all ${answers.length} kinds rendered`);
    },
  },
  {
    id: "storage-class",
    title: "StorageClass for the volume claims",
    remediation: "kubectl get storageclass; install a provisioner or mark one default: kubectl patch storageclass NAME -p '{\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}'",
    applies: ({ target }) => claimsOf(target).some((c) => c.storageClassName !== ""),
    run: async ({ k, target }) => {
      const classes = await k.list(["storageclass"]);
      const byName = new Map(classes.map((sc) => [nameOf(sc), sc]));
      const defaults = classes.filter(isDefaultClass).map(nameOf);
      return claimsOf(target)
        .filter((c) => c.storageClassName !== "")
        .map((c): Outcome => {
          const id = `storage-class/${c.claim}`;
          if (c.storageClassName === undefined) {
            if (defaults.length === 1) return pass(`${c.claim}: default class ${defaults[0]}`, { id });
            if (defaults.length > 1) return warn(`${c.claim}: ${defaults.length} default classes (${defaults.join(", ")}); the API server picks the newest`, { id, remediation: "leave exactly one StorageClass annotated storageclass.kubernetes.io/is-default-class=true" });
            return fail(
              classes.length ? `${c.claim}: no default StorageClass (classes: ${[...byName.keys()].join(", ")})` : `${c.claim}: no StorageClass at all`,
              { id },
            );
          }
          const rendered = ofKind(target, "StorageClass").find((x) => nameOf(x) === c.storageClassName) as { provisioner?: string } | undefined;
          if (rendered) {
            return byName.has(c.storageClassName)
              ? warn(`${c.claim}: class ${c.storageClassName} exists already and the overlay renders it too; its parameters are immutable`, {
                  id,
                  remediation: "set storageClass.create: false to use the existing class, or delete it first (its volumes stay)",
                })
              : pass(`${c.claim}: class ${c.storageClassName} rendered by the overlay (${rendered.provisioner ?? "provisioner ?"})`, { id });
          }
          const sc = byName.get(c.storageClassName);
          if (sc) return pass(`${c.claim}: class ${c.storageClassName} (${(sc as { provisioner?: string }).provisioner ?? "provisioner ?"})`, { id });
          return fail(`${c.claim}: StorageClass ${c.storageClassName} does not exist`, {
            id,
            remediation:
              c.storageClassName === "gp3"
                ? "set storageClass.create: true (the overlay renders gp3 with provisioner ebs.csi.aws.com; the EBS CSI driver add-on installed), or change postgres/redis.persistence.storageClassName"
                : `create StorageClass ${c.storageClassName}, or change persistence.storageClassName in settings.yaml`,
          });
        });
    },
  },
  {
    id: "adopted-claims",
    title: "Adopted claims exist, are Bound and are free",
    remediation: ({ target }) =>
      `the claims come from the previous install (npm run notes -- ${target.env ?? "<env>"} --migrate-from-helm): keep them (helm.sh/resource-policy: keep) and scale the old release to zero before syncing`,
    applies: ({ target }) => adoptedClaimsOf(target).length > 0,
    run: async ({ k, target }) => {
      const pods = await k.list(["pods", "-n", target.namespace]);
      return Promise.all(
        adoptedClaimsOf(target).map(async ({ store, claim }): Promise<Outcome> => {
          const id = `adopted-claims/${claim}`;
          const live = await k.getJson(["persistentvolumeclaim", claim, "-n", target.namespace]);
          if (!live) return fail(`${store}: claim ${claim} not found in namespace ${target.namespace}`, { id });
          const phase = String(live.status?.phase ?? "?");
          if (phase !== "Bound") return fail(`${store}: claim ${claim} is ${phase}, not Bound`, { id });
          // A running pod of the old release still writes to it: two PostgreSQL servers on one data directory corrupt it.
          const users = pods
            .filter((p) => !["Succeeded", "Failed"].includes(String(p.status?.phase)))
            .filter((p) => ((p.spec?.volumes ?? []) as { persistentVolumeClaim?: { claimName?: string } }[]).some((v) => v.persistentVolumeClaim?.claimName === claim))
            .map(nameOf)
            .filter((pod) => !pod.startsWith(`${store}-`));
          if (users.length) return fail(`${store}: claim ${claim} is mounted by running pod(s) ${users.join(", ")}`, { id, remediation: "scale the old release down first (runbook step 4)" });
          const keep = live.metadata?.annotations?.["helm.sh/resource-policy"] === "keep";
          const managedByHelm = live.metadata?.labels?.["app.kubernetes.io/managed-by"] === "Helm";
          if (managedByHelm && !keep) {
            return fail(`${store}: claim ${claim} belongs to a Helm release and lacks helm.sh/resource-policy: keep; helm uninstall would delete it`, {
              id,
              remediation: `kubectl -n ${target.namespace} annotate pvc ${claim} helm.sh/resource-policy=keep`,
            });
          }
          return pass(`${store}: ${claim} Bound to ${live.spec?.volumeName ?? "?"}, not in use${keep ? ", kept on helm uninstall" : ""}`, { id });
        }),
      );
    },
  },
  {
    id: "manual-volumes",
    title: "Manual PersistentVolumes free for our claims",
    remediation: "kubectl get pv -o wide; a PV bound to another claim cannot be reused: pick another path/name in manualVolume",
    applies: ({ target }) => ofKind(target, "PersistentVolume").length > 0,
    run: async ({ k, target }) =>
      Promise.all(
        ofKind(target, "PersistentVolume").map(async (pv): Promise<Outcome> => {
          const name = nameOf(pv);
          const id = `manual-volumes/${name}`;
          const want = pv.spec?.claimRef as { namespace?: string; name?: string } | undefined;
          const live = await k.getJson(["persistentvolume", name]);
          if (!live) return pass(`${name}: not present yet, the overlay creates it`, { id });
          const ref = live.spec?.claimRef as { namespace?: string; name?: string; uid?: string } | undefined;
          const phase = String(live.status?.phase ?? "?");
          const ours = !ref || (ref.namespace === want?.namespace && ref.name === want?.name);
          if (!ours) {
            return fail(`${name}: ${phase}, claimed by ${ref!.namespace}/${ref!.name}`, {
              id,
              remediation: `PV ${name} belongs to another claim: free it (after saving its data) or choose another manualVolume path; never reuse a volume still bound elsewhere`,
            });
          }
          if (phase === "Released" && ref?.uid) {
            return fail(`${name}: Released, still holding the uid of a deleted claim`, {
              id,
              remediation: `to rebind the kept data: kubectl patch pv ${name} --type json -p '[{"op":"remove","path":"/spec/claimRef/uid"}]'`,
            });
          }
          if (phase === "Failed") return fail(`${name}: Failed`, { id, remediation: `kubectl describe pv ${name}` });
          return pass(`${name}: ${phase}${ref?.name ? ` for ${ref.namespace}/${ref.name}` : ""}`, { id });
        }),
      ),
  },
  {
    id: "ingress-class",
    title: "IngressClass for the Ingress",
    remediation: ({ target }) => INGRESS_CONTROLLERS[target.settings.ingress.controller]?.install ?? "install an ingress controller",
    applies: ({ target }) => ingressClassesOf(target).length > 0,
    run: async ({ k, target }) =>
      Promise.all(
        ingressClassesOf(target).map(async (name): Promise<Outcome> => {
          const id = `ingress-class/${name}`;
          const ic = await k.getJson(["ingressclass", name]);
          if (!ic) return fail(`IngressClass ${name} does not exist`, { id });
          const expected = INGRESS_CONTROLLERS[target.settings.ingress.controller]?.controller;
          const actual = String(ic.spec?.controller ?? "?");
          if (expected && actual !== expected) {
            return warn(`IngressClass ${name} is served by ${actual}, settings say ${target.settings.ingress.controller}`, {
              id,
              remediation: `set ingress.controller/className in settings.yaml to the controller that serves ${name} (annotations and NetworkPolicy peers depend on it)`,
            });
          }
          return pass(`IngressClass ${name} (${actual})`, { id });
        }),
      ),
  },
  {
    id: "ingress-controller",
    title: "Ingress controller running",
    remediation: ({ target }) =>
      `${INGRESS_CONTROLLERS[target.settings.ingress.controller]?.install ?? "install an ingress controller"}; then kubectl get pods -A -l ${INGRESS_CONTROLLERS[target.settings.ingress.controller]?.selector ?? "app.kubernetes.io/name=ingress-nginx"}`,
    applies: ({ target }) => ingressClassesOf(target).length > 0,
    run: async ({ k, target }) => {
      const c = INGRESS_CONTROLLERS[target.settings.ingress.controller];
      if (!c) return skip(`no known pod label for ${target.settings.ingress.controller}`);
      const pods = await k.list(["pods", "-A", "-l", c.selector]);
      const ready = pods.filter(podReady);
      if (!pods.length) return fail(`no ${target.settings.ingress.controller} pods (-l ${c.selector})`);
      if (!ready.length) return fail(`${pods.length} ${target.settings.ingress.controller} pods, none ready`);
      const where = [...new Set(ready.map((p) => p.metadata?.namespace))].join(", ");
      return pass(`${ready.length} ready ${target.settings.ingress.controller} pod(s) in ${where}`);
    },
  },
  ...ROUTE_PREFLIGHT_CHECKS,
  {
    id: "csi-driver",
    title: "CSI driver of the StorageClass the overlay renders",
    remediation: ({ target }) =>
      target.settings.storageClass.provisioner === "ebs.csi.aws.com"
        ? "install the Amazon EBS CSI driver add-on: aws eks create-addon --cluster-name <cluster> --addon-name aws-ebs-csi-driver --service-account-role-arn <role>"
        : `install the CSI driver ${target.settings.storageClass.provisioner}`,
    applies: ({ target }) => ofKind(target, "StorageClass").length > 0,
    run: async ({ k, target }) => {
      const provisioner = target.settings.storageClass.provisioner;
      const driver = await k.getJson(["csidriver", provisioner]);
      return driver ? pass(`CSIDriver ${provisioner} installed`) : fail(`CSIDriver ${provisioner} not installed: claims of class ${target.settings.storageClass.name} stay Pending`);
    },
  },
  {
    id: "alb-certificate",
    title: "HTTPS certificate of the ALB",
    remediation: "set ingress.certificateArn to the ACM certificate for the host (aws acm list-certificates), or issue one in ACM for the host",
    applies: ({ target }) =>
      ingressClassesOf(target).length > 0 && target.settings.ingress.controller === "aws-load-balancer" && target.settings.ingress.tls.enabled,
    run: async ({ target }) => {
      const { certificateArn, host } = target.settings.ingress;
      return certificateArn
        ? pass(`alb.ingress.kubernetes.io/certificate-arn ${certificateArn}`)
        : warn(`no ingress.certificateArn: the controller must discover an ACM certificate for ${host} (the ALB ignores tls.secretName)`);
    },
  },
  {
    id: "argocd-ingress-health",
    title: "Argo CD can tell the Ingress healthy without a published load balancer status",
    remediation: `add the key ${INGRESS_HEALTH.key} to ConfigMap argocd-cm (README: Delivery with Argo CD), or make the controller publish status (ingress-nginx --publish-status-address)`,
    applies: ({ target }) => Boolean(target.argocd) && ingressClassesOf(target).length > 0 && !target.settings.ingress.controllerPublishesStatus,
    run: async ({ k, target }) => {
      const cm = await k.getJson(["configmap", "argocd-cm", "-n", target.argocd!.namespace]);
      const lua = (cm as { data?: Record<string, string> } | null)?.data?.[INGRESS_HEALTH.key];
      if (!cm) return warn(`ConfigMap argocd-cm not found in ${target.argocd!.namespace} (Argo CD in another cluster? check it there)`);
      if (!lua) return fail(`argocd-cm has no ${INGRESS_HEALTH.key}: the Ingress stays Progressing forever and PostSync hooks never run`);
      return lua.trim() === INGRESS_HEALTH.lua.trim()
        ? pass(`argocd-cm ${INGRESS_HEALTH.key} is the stack's`)
        : warn(`argocd-cm ${INGRESS_HEALTH.key} differs from the stack's; make sure it treats mcp-stack.dev/load-balancer-status: not-published as Healthy`);
    },
  },
  {
    id: "argocd-httproute-health",
    title: "Argo CD tells an HTTPRoute healthy from its status",
    remediation: `Argo CD 3.3 or later, or the key ${HTTPROUTE_HEALTH.key} in ConfigMap argocd-cm (README: Routing, Delivery)`,
    applies: ({ target }) => Boolean(target.argocd) && target.objects.some((o) => o.kind === "HTTPRoute"),
    run: async ({ k, target }) => {
      const ns = target.argocd!.namespace;
      const cm = await k.getJson(["configmap", "argocd-cm", "-n", ns]);
      if (!cm) return warn(`ConfigMap argocd-cm not found in ${ns} (Argo CD in another cluster? check it there)`);
      const lua = (cm as { data?: Record<string, string> }).data?.[HTTPROUTE_HEALTH.key];
      if (lua) {
        return lua.trim() === HTTPROUTE_HEALTH.lua.trim()
          ? pass(`argocd-cm ${HTTPROUTE_HEALTH.key} is the stack's`)
          : warn(`argocd-cm ${HTTPROUTE_HEALTH.key} differs from the stack's; make sure it waits for every parent's Accepted and ResolvedRefs`);
      }
      // Argo CD's application controller computes health; its image tag is the version.
      const controller = await k.getJson(["statefulset", "argocd-application-controller", "-n", ns]);
      const image = String((controller?.spec?.template?.spec?.containers ?? [])[0]?.image ?? "");
      const version = /:v?(\d+)\.(\d+)/.exec(image);
      if (!version) return warn(`cannot tell Argo CD's version (no image tag on statefulset argocd-application-controller in ${ns}); before 3.3 an HTTPRoute is Healthy the moment it exists`);
      const [major, minor] = [Number(version[1]), Number(version[2])];
      return major > 3 || (major === 3 && minor >= 3)
        ? pass(`Argo CD ${image.split(":").pop()} has HTTPRoute health built in (resource_customizations/gateway.networking.k8s.io/HTTPRoute)`)
        : warn(`Argo CD ${image.split(":").pop()} has no HTTPRoute health: routes are Healthy the moment they exist, whatever their status, and the post-sync tests run before the Gateway accepted them`);
    },
  },
  {
    id: "metrics-server",
    title: "metrics-server (the HPA reads CPU and memory from it)",
    remediation:
      "install metrics-server: kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml (minikube: minikube addons enable metrics-server); if installed: kubectl logs deployment/metrics-server -n kube-system",
    applies: ({ target }) => hasHpa(target),
    run: async ({ k }) => {
      const api = await k.getJson(["apiservice", "v1beta1.metrics.k8s.io"]);
      if (!api) return fail("APIService v1beta1.metrics.k8s.io not registered: the HPA would show <unknown>");
      const available = conditionOf(api, "Available");
      if (available?.status !== "True") {
        return fail(`APIService v1beta1.metrics.k8s.io not Available (${available?.reason ?? "no condition"}${available?.message ? `: ${available.message}` : ""})`);
      }
      return pass("v1beta1.metrics.k8s.io Available");
    },
  },
  {
    id: "crds",
    title: "CRDs of the kinds the environment renders",
    remediation: "install the operator that owns the CRD",
    applies: ({ target }) => requiredCrds(target).length > 0,
    run: async ({ k, target }) =>
      Promise.all(
        requiredCrds(target).map(async ({ crd, kind, why }): Promise<Outcome> => {
          const id = `crd/${crd}`;
          const live = await k.getJson(["customresourcedefinition", crd]);
          if (!live) return fail(`${crd} not installed (${why})`, { id, remediation: installCrd(crd) });
          if (conditionOf(live, "Established")?.status !== "True") return fail(`${crd} not Established`, { id, remediation: `kubectl describe crd ${crd}` });
          return pass(`${crd} (${kind})`, { id });
        }),
      ),
  },
  {
    id: "pod-security",
    title: "Namespace Pod Security compatible with our pods (restricted-compliant)",
    remediation: ({ target }) =>
      `kubectl label namespace ${target.namespace} pod-security.kubernetes.io/enforce=restricted --overwrite`,
    run: async ({ k, target }) => {
      const ns = await k.getJson(["namespace", target.namespace]);
      const renders = ofKind(target, "Namespace").some((n) => nameOf(n) === target.namespace);
      if (!ns) {
        return renders
          ? pass(`${target.namespace} not present yet; created with enforce=restricted`)
          : fail(`${target.namespace} does not exist and the environment does not create it`, {
              remediation: `kubectl create namespace ${target.namespace} && kubectl label namespace ${target.namespace} pod-security.kubernetes.io/enforce=restricted`,
            });
      }
      if (ns.status?.phase === "Terminating") {
        return fail(`${target.namespace} is Terminating`, {
          remediation: `wait for it to go (kubectl get namespace ${target.namespace}), or find what blocks it: kubectl api-resources --verbs=list --namespaced -o name | xargs -n1 kubectl get -n ${target.namespace} --ignore-not-found`,
        });
      }
      const level = ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"];
      if (level === undefined) return pass(`${target.namespace} exists, no enforce label (privileged); the overlay sets restricted`);
      if (!PSA_LEVELS.includes(level)) return fail(`${target.namespace}: enforce=${level} is not a Pod Security level`);
      return pass(`${target.namespace} exists, enforce=${level}${level === "restricted" ? "" : "; our pods meet restricted, the overlay raises it"}`);
    },
  },
  {
    id: "credentials",
    title: "Secrets the stack reads",
    remediation: "see README: Credentials",
    run: async (ctx) => credentialsCheck(ctx),
  },
];

async function credentialsCheck({ k, target }: PreflightContext): Promise<Outcome | Outcome[]> {
  const { credentials } = target.settings;
  if (credentials.source === "local") return pass("generated locally into overlays/<env>/credentials/, rendered as Secrets");
  if (credentials.source === "externalSecrets") {
    const { storeKind, storeName } = credentials.externalSecrets;
    const args = storeKind === "ClusterSecretStore" ? ["clustersecretstore", storeName] : ["secretstore", storeName, "-n", target.namespace];
    let store: KubeJson | null;
    try {
      store = await k.getJson(args);
    } catch {
      store = null; // the CRD itself is missing: the crds check says so
    }
    if (!store) {
      return fail(`${storeKind} ${storeName} not found`, {
        remediation: `create the ${storeKind} ${storeName} (External Secrets Operator) pointing at the secret store; the remote keys are ${credentials.externalSecrets.remoteKeyPrefix}/<secret name>`,
      });
    }
    const ready = conditionOf(store, "Ready");
    return ready?.status === "True"
      ? pass(`${storeKind} ${storeName} Ready`)
      : fail(`${storeKind} ${storeName} not Ready (${ready?.message ?? "no condition"})`, {
          remediation: `kubectl describe ${args.join(" ")} (credentials of the store: IRSA role, region)`,
        });
  }
  // existingSecrets: created beforehand with kubectl, each with its keys (and the Ingress's TLS Secret).
  const tls = tlsSecretOf(target);
  const tlsOutcome = tls
    ? k.getJson(["secret", tls, "-n", target.namespace]).then((secret): Outcome => {
        const id = `credentials/${tls}`;
        const data = (secret as { data?: Record<string, string> } | null)?.data ?? {};
        if (!secret) return fail(`${tls} (the Ingress's TLS certificate) missing in ${target.namespace}`, { id, remediation: `kubectl -n ${target.namespace} create secret tls ${tls} --cert=tls.crt --key=tls.key` });
        return data["tls.crt"] && data["tls.key"] ? pass(`${tls} has tls.crt and tls.key`, { id }) : fail(`${tls} lacks tls.crt or tls.key`, { id });
      })
    : undefined;
  return Promise.all([
    ...(tlsOutcome ? [tlsOutcome] : []),
    ...requiredSecrets(target.settings).map(async (spec): Promise<Outcome> => {
      const id = `credentials/${spec.name}`;
      const keys = Object.keys(spec.keys);
      const create = `kubectl create secret generic ${spec.name} -n ${target.namespace} ${keys.map((key) => `--from-literal=${key}=...`).join(" ")}`;
      const secret = await k.getJson(["secret", spec.name, "-n", target.namespace]);
      if (!secret) return fail(`${spec.name} missing in ${target.namespace}`, { id, remediation: create });
      const data = { ...(secret as { data?: Record<string, string> }).data };
      const missing = keys.filter((key) => !data[key]);
      return missing.length
        ? fail(`${spec.name} lacks ${missing.join(", ")}`, { id, remediation: `add the keys: kubectl edit secret ${spec.name} -n ${target.namespace} (or recreate: ${create})` })
        : pass(`${spec.name} has ${keys.length} keys`, { id });
    }),
  ]);
}

/**
 * The TLS Secret the environment expects in its namespace: read by its Ingresses (ingress-nginx; the ALB takes an
 * ACM certificate), or granted to a platform Gateway by a ReferenceGrant. Written by cert-manager when it renders a
 * Certificate for it (nothing to create then).
 */
function tlsSecretOf(target: Target): string | undefined {
  const certificates = ofKind(target, "Certificate").map((c) => String((c.spec as { secretName?: string } | undefined)?.secretName));
  const names = [
    ...ofKind(target, "Ingress").flatMap((i) => ((i.spec?.tls ?? []) as { secretName?: string }[]).map((t) => t.secretName)),
    ...ofKind(target, "ReferenceGrant").flatMap((g) => ((g.spec?.to ?? []) as { kind?: string; name?: string }[]).filter((t) => t.kind === "Secret").map((t) => t.name)),
  ];
  return names.find((n): n is string => Boolean(n) && !certificates.includes(n!));
}

function installCrd(crd: string): string {
  if (crd.endsWith(".external-secrets.io"))
    return "install External Secrets Operator: helm upgrade --install external-secrets external-secrets --repo https://charts.external-secrets.io -n external-secrets --create-namespace";
  if (crd.endsWith(".monitoring.coreos.com"))
    return "install the Prometheus Operator CRDs (kube-prometheus-stack, or helm install prometheus-operator-crds prometheus-community/prometheus-operator-crds), or switch monitoring off in settings.yaml";
  if (crd.endsWith(".gateway.networking.k8s.io"))
    return "install the Gateway API CRDs: kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.1/standard-install.yaml (Envoy Gateway's chart installs them itself)";
  if (crd.endsWith(".cert-manager.io"))
    return "install cert-manager: helm install cert-manager oci://quay.io/jetstack/charts/cert-manager -n cert-manager --create-namespace --set crds.enabled=true, or set ingress.tls.certificate.enabled: false";
  if (crd.endsWith(".argoproj.io"))
    return "install Argo CD: kubectl create namespace argocd && kubectl apply -n argocd --server-side -f https://raw.githubusercontent.com/argoproj/argo-cd/stable/manifests/install.yaml";
  return `install the operator that provides ${crd}`;
}


export function podReady(p: KubeJson): boolean {
  return p.status?.phase === "Running" && conditionOf(p, "Ready")?.status === "True";
}

