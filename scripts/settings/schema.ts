// The settings shape, written once. Everything else derives from it:
//  - the TypeScript type `Settings` (json-schema-to-ts FromSchema, below),
//  - settings.schema.json at the repo root (editor completion via the yaml-language-server modeline),
//  - the settings reference table in README.md,
//  - the defaults: ajv fills every `default` while validating, so base = schema defaults.
import type { FromSchema } from "json-schema-to-ts";

const MEANINGS = new Map<string, string>();

/** A string matching `regex`, and what that means in words (for error messages: "expected a DNS label …"). */
function pattern<const P extends string>(regex: P, meaning: string) {
  if (MEANINGS.has(regex) && MEANINGS.get(regex) !== meaning) throw new Error(`pattern ${regex} has two meanings`);
  MEANINGS.set(regex, meaning);
  return { type: "string", pattern: regex } as const;
}

/** What a pattern of the schema means, in words; undefined for a pattern not made with pattern(). */
export const patternMeaning = (regex: string): string | undefined => MEANINGS.get(regex);

// Patterns more than one setting uses.
const dnsSubdomain = pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", "a DNS subdomain (a claim name): lowercase letters, digits, '-' and '.'");
const dnsLabelPattern = pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", "a DNS label: lowercase letters, digits and '-', at most 63 characters");
const absolutePath = pattern("^/", "an absolute path starting with /");
const httpUrl = pattern("^https?://", "an http(s) URL");
const cidrPattern = pattern("^[0-9a-fA-F.:]+/[0-9]{1,3}$", "a CIDR such as 10.0.0.0/16");
const pgIdentifier = pattern("^[a-z_][a-z0-9_]*$", "a PostgreSQL identifier (lowercase letters, digits, '_')");
const awsArn = pattern("^arn:", "an AWS ARN such as arn:aws:iam::123456789012:role/name");
const overlayYamlFile = pattern("^[^/][^\\0]*\\.ya?ml$", "a relative path to a .yaml file in the overlay folder");

type WithDefault = { readonly default: unknown };
/** The keys of an object node's properties that have a default. */
type DefaultedKey<P> = { [K in keyof P]: P[K] extends WithDefault ? K : never }[keyof P];
/** obj()'s `default: {}`, as a type: FromSchema makes a defaulted property required, so `Settings` needs it said. */
type ImpliedDefault<N> = N extends WithDefault | { readonly optional: true } | { readonly required: readonly [unknown, ...unknown[]] }
  ? unknown
  : [DefaultedKey<N extends { readonly properties: infer P } ? P : never>] extends [never]
    ? unknown
    : { default: {} };

/**
 * An object node of the schema: closed (additionalProperties: false), its `required` derived. Every property with a
 * default is required (ajv fills it in before it checks), and so is every key `required` lists (no default: the user
 * must say it). The TypeScript type keeps only the listed keys under `required`: FromSchema makes defaulted
 * properties required by itself, so `Settings` comes out the same.
 * A node that may be left out as a whole gets `default: {}` (ajv then fills in its properties' defaults): one with a
 * defaulted property and no key the user must give, unless it says `optional: true` (its absence means something: a
 * listener's tls, the document itself) or states a default of its own.
 */
function obj<const N extends { properties: Readonly<Record<string, unknown>>; required?: readonly string[]; optional?: true; default?: unknown }>(
  node: N,
): { type: "object"; additionalProperties: false } & ImpliedDefault<N> & Omit<N, "optional"> {
  const { optional, ...rest } = node;
  const props = node.properties as Record<string, { default?: unknown }>;
  const defaulted = Object.keys(props).filter((k) => props[k]!.default !== undefined);
  const implied = !optional && node.default === undefined && !node.required?.length && defaulted.length > 0;
  const required = Object.keys(props).filter((k) => defaulted.includes(k) || node.required?.includes(k));
  return { type: "object", additionalProperties: false, ...(implied ? { default: {} } : {}), ...rest, ...(required.length ? { required } : {}) } as never;
}

const quantity = {
  ...pattern("^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$", "a Kubernetes quantity such as 500m, 2, 768Mi or 5Gi"),
  description: "Kubernetes quantity, e.g. 500m, 2, 768Mi, 5Gi",
} as const;

const stringMap = {
  type: "object",
  additionalProperties: { type: "string" },
  default: {},
} as const;

const dnsLabel = {
  ...dnsLabelPattern,
} as const;

function image<const R extends string, const T extends string>(repository: R, tag: T) {
  return obj({
    description: "Container image; a digest pins it (tag is kept for readability).",
    properties: {
      repository: { type: "string", minLength: 1, default: repository },
      tag: { ...pattern("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", "an image tag (letters, digits, '_', '.', '-'; at most 128)"), default: tag },
      digest: { ...pattern("^sha256:[a-f0-9]{64}$", "a digest sha256:<64 hex digits>"), description: "sha256:… digest" },
      pullPolicy: { enum: ["Always", "IfNotPresent", "Never"], default: "IfNotPresent" },
    },
  });
}

function resources<const RC extends string, const RM extends string, const LC extends string, const LM extends string>(
  requestCpu: RC,
  requestMemory: RM,
  limitCpu: LC,
  limitMemory: LM,
) {
  const pair = <const C extends string, const M extends string>(cpu: C, memory: M) =>
    obj({
      properties: { cpu: { ...quantity, default: cpu }, memory: { ...quantity, default: memory } },
    });
  return obj({
    description: "Requests and limits of the main container.",
    properties: { requests: pair(requestCpu, requestMemory), limits: pair(limitCpu, limitMemory) },
  });
}

const manualVolume = obj({
  description:
    "A PersistentVolume rendered with the overlay and bound to the claim (storageClassName \"\", volumeName). " +
    "For clusters without dynamic provisioning.",
  properties: {
    type: { enum: ["hostPath", "nfs", "local"], description: "Volume source" },
    path: { ...absolutePath, description: "Path on the node (hostPath, local) or the NFS export" },
    server: { type: "string", minLength: 1, description: "NFS server (nfs)" },
    node: { type: "string", minLength: 1, description: "Node name the local volume lives on (local)" },
    capacity: { ...quantity, description: "PV capacity; defaults to the claim size" },
  },
  required: ["type", "path"],
});

function persistence<const E extends boolean, const S extends string>(enabled: E, size: S) {
  return obj({
    properties: {
      enabled: { type: "boolean", default: enabled, description: "Persistent volume claim (else emptyDir)" },
      storageClassName: {
        type: "string",
        description: "StorageClass; unset = cluster default; \"\" = no class (manual PVs)",
      },
      accessModes: {
        type: "array",
        minItems: 1,
        uniqueItems: true,
        items: { enum: ["ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteMany"] },
        default: ["ReadWriteOnce"],
      },
      size: { ...quantity, default: size },
      annotations: { ...stringMap, description: "Claim annotations (backup tools such as Velero read them)" },
      manualVolume,
      existingClaim: {
        ...dnsSubdomain,
        description:
          "Adopt this existing claim (e.g. the Helm chart's <release>-mcp-stack-postgres-pvc) instead of rendering one; " +
          "it must be in the environment's namespace",
      },
    },
  });
}

const replicas = { type: "integer", minimum: 1, maximum: 100 } as const;

/** A cluster as Argo CD names it: its API server URL or its registered name (settings loading wants one). */
const argoCdClusterRef = {
  server: { ...httpUrl, description: "API server URL" },
  name: { type: "string", minLength: 1, description: "Cluster name as registered in Argo CD" },
} as const;

/** A DNS host name (RFC 1123), a wildcard first label allowed. */
const hostName = { ...pattern("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", "a DNS host name (RFC 1123), e.g. mcp.example.com"), maxLength: 253 } as const;

const s3Bucket = { ...pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", "an S3 bucket name (lowercase letters, digits, '.', '-'; 3 to 63)"), description: "Bucket name" } as const;
const keyPrefix = { ...pattern("^[A-Za-z0-9][A-Za-z0-9._/-]*[A-Za-z0-9]$", "an object key prefix such as postgres or backups/mcp") } as const;
const awsRegion = { ...pattern("^[a-z0-9-]+$", "a region such as eu-west-1") } as const;

const cidr = { ...cidrPattern } as const;
const cidrList = { type: "array", items: cidr } as const;
const port = { type: "integer", minimum: 1, maximum: 65535 } as const;

const matchLabels = obj({
  properties: { matchLabels: { type: "object", additionalProperties: { type: "string" } } },
  required: ["matchLabels"],
});

/** A NetworkPolicy peer, as Kubernetes writes it (pods by labels in namespaces by labels, or an address block). */
const networkPeer = obj({
  minProperties: 1,
  properties: {
    namespaceSelector: matchLabels,
    podSelector: matchLabels,
    ipBlock: obj({
      properties: { cidr, except: cidrList },
      required: ["cidr"],
    }),
  },
});

/** Private, shared, link-local and loopback ranges: never "the internet" (RFC 1918, RFC 6598, RFC 3927). */
const NON_PUBLIC_IPV4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "127.0.0.0/8"] as const;

export const settingsSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://mcp-stack.dev/settings.schema.json",
  title: "mcp-stack environment settings (overlays/<env>/settings.yaml)",
  ...obj({
    // The document itself: an empty settings file is refused (write {} for all defaults).
    optional: true,
    properties: {
      profile: {
        enum: ["dev", "production"],
        default: "production",
        description: "Policy profile: dev relaxes HA, TLS and digest pinning; production enforces them.",
      },
      namespace: { ...dnsLabel, default: "mcp", description: "Namespace of every object" },
      labels: { ...stringMap, description: "Extra labels on every object (never in selectors)" },
      annotations: { ...stringMap, description: "Extra annotations on every object" },
      imagePullSecrets: {
        type: "array",
        items: dnsLabel,
        uniqueItems: true,
        default: [],
        description: "Pull secrets added to every pod",
      },
      nodeSelector: { ...stringMap, description: "Node selector for every pod" },
      tolerations: {
        type: "array",
        default: [],
        description: "Tolerations for every pod",
        items: obj({
          properties: {
            key: { type: "string" },
            operator: { enum: ["Exists", "Equal"] },
            value: { type: "string" },
            effect: { enum: ["NoSchedule", "PreferNoSchedule", "NoExecute"] },
            tolerationSeconds: { type: "integer" },
          },
        }),
      },
      credentials: obj({
        description: "Where the Secrets the stack reads come from.",
        properties: {
          source: {
            enum: ["local", "existingSecrets", "externalSecrets"],
            default: "existingSecrets",
            description:
              "local: generated into the git-ignored overlays/<env>/credentials/ on first generate; " +
              "existingSecrets: created beforehand with kubectl; externalSecrets: External Secrets Operator",
          },
          externalSecrets: obj({
            properties: {
              storeName: { type: "string", minLength: 1, default: "aws-secrets-manager" },
              storeKind: { enum: ["ClusterSecretStore", "SecretStore"], default: "ClusterSecretStore" },
              refreshInterval: { ...pattern("^[0-9]+(s|m|h)$", "a duration such as 30s, 5m or 1h"), default: "1h" },
              remoteKeyPrefix: {
                type: "string",
                minLength: 1,
                default: "mcp-stack",
                description: "Remote secret names are <prefix>/<secret name>",
              },
            },
          }),
        },
      }),
      network: obj({
        description: "What the NetworkPolicies need to know about the cluster's network.",
        properties: {
          dnsPeers: {
            type: "array",
            minItems: 1,
            items: networkPeer,
            default: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
              },
            ],
            description:
              "Where pods resolve names (NetworkPolicy peers on port 53 UDP/TCP); add { ipBlock: { cidr: 169.254.20.10/32 } } for node-local DNS",
          },
          serviceCidrs: {
            ...cidrList,
            minItems: 1,
            default: ["10.96.0.0/12"],
            description:
              "The cluster's Service CIDR(s): in-cluster MCP server URLs resolve there, so the gateway's SSRF allowlist takes them (kubeadm 10.96.0.0/12, EKS 172.20.0.0/16 or 10.100.0.0/16)",
          },
          apiServer: obj({
            description: "The Kubernetes API server as pods reach it (only the metrics-token Job talks to it)",
            properties: {
              cidrs: { ...cidrList, minItems: 1, default: ["0.0.0.0/0"], description: "Its endpoint addresses (kubectl get endpoints kubernetes)" },
              ports: { type: "array", items: port, minItems: 1, default: [443, 6443] },
            },
          }),
        },
      }),
      gateway: obj({
        properties: {
          image: image("ghcr.io/ibm/mcp-context-forge", "v1.0.8"),
          replicas: { ...replicas, default: 2, description: "Replicas when the HPA is off" },
          hpa: obj({
            properties: {
              enabled: { type: "boolean", default: true },
              minReplicas: { ...replicas, default: 2 },
              maxReplicas: { type: "integer", minimum: 1, maximum: 1000, default: 10 },
              targetCPUUtilizationPercentage: { type: "integer", minimum: 1, maximum: 100, default: 80 },
              targetMemoryUtilizationPercentage: { type: "integer", minimum: 1, maximum: 100, default: 80 },
            },
          }),
          pdb: obj({
            properties: {
              enabled: { type: "boolean", default: true },
              maxUnavailable: { type: "integer", minimum: 1, default: 1 },
            },
          }),
          spreadAcrossZones: {
            type: "boolean",
            default: true,
            description: "topologySpreadConstraints over zones (and nodes) for gateway and fast-time pods",
          },
          resources: resources("500m", "768Mi", "2", "2Gi"),
          config: {
            type: "object",
            additionalProperties: { ...pattern("^[^\\n]*$", "a single-line string"), description: "a single-line string" },
            default: {},
            description: "Gateway application settings (ConfigMap), merged over the defaults; values are strings",
          },
          serviceAnnotations: { ...stringMap, description: "Annotations on the gateway Service" },
          serviceAccountAnnotations: {
            ...stringMap,
            description: "Annotations on the gateway's ServiceAccount (e.g. IRSA eks.amazonaws.com/role-arn)",
          },
          egressCidrs: {
            ...cidrList,
            default: [],
            description:
              "Private CIDRs of MCP servers the gateway may reach on any port (NetworkPolicy egress); private ones join SSRF_ALLOWED_NETWORKS",
          },
          publicEgress: obj({
            description: "Egress to MCP servers on the internet: every address except the non-public ranges, on the given ports",
            properties: {
              enabled: { type: "boolean", default: true },
              except: {
                ...cidrList,
                default: [...NON_PUBLIC_IPV4],
                description: "Ranges left out of 0.0.0.0/0 (the cluster's and other private networks, cloud metadata)",
              },
              ports: { type: "array", items: port, minItems: 1, default: [443, 80] },
            },
          }),
          preStopSeconds: {
            type: "integer",
            minimum: 0,
            maximum: 120,
            default: 15,
            description:
              "A terminating pod keeps serving this long, until the ingress controller / load balancer stopped sending it requests",
          },
        },
      }),
      fastTime: obj({
        properties: {
          enabled: { type: "boolean", default: true },
          image: image("ghcr.io/ibm/fast-time-server", "0.8.0"),
          replicas: { ...replicas, default: 2 },
          resources: resources("25m", "16Mi", "100m", "64Mi"),
          path: {
            ...pattern("^/[a-z0-9-]+$", "a path such as /fast-time"),
            default: "/fast-time",
            description: "Route path; the prefix is replaced by / before the server (HTTPRoute URLRewrite, or ingress-nginx rewrite-target)",
          },
        },
      }),
      postgres: obj({
        properties: {
          image: image("docker.io/library/postgres", "17"),
          resources: resources("500m", "512Mi", "2", "2Gi"),
          database: { ...pgIdentifier, default: "mcp", description: "Database the gateway uses (the chart's: postgresdb)" },
          user: {
            ...pgIdentifier,
            default: "mcp",
            description: "Database owner, POSTGRES_USER of generated local credentials (the chart's: admin)",
          },
          dataPath: {
            ...pattern("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", "a relative path such as pgdata or 17/docker"),
            default: "pgdata",
            description: "PGDATA below the volume's mount (/var/lib/postgresql/data); an adopted volume keeps its own layout",
          },
          maxConnections: {
            type: "integer",
            minimum: 20,
            maximum: 100000,
            description:
              "PostgreSQL max_connections; unset = the stack's connection budget (gateway pods × workers × pool + other clients); set, settings loading checks the budget fits",
          },
          persistence: persistence(true, "5Gi"),
        },
      }),
      redis: obj({
        properties: {
          image: image("docker.io/library/redis", "8.0.0"),
          resources: resources("100m", "128Mi", "1", "1Gi"),
          maxclients: { type: "integer", minimum: 100, maximum: 30000, default: 15000 },
          persistence: persistence(false, "1Gi"),
        },
      }),
      migration: obj({
        properties: {
          enabled: {
            type: "boolean",
            default: true,
            description: "Run migrations in a Job; off = every gateway pod migrates under an advisory lock",
          },
          backoffLimit: { type: "integer", minimum: 0, maximum: 100, default: 3 },
          activeDeadlineSeconds: { type: "integer", minimum: 1, default: 600 },
          ttlSecondsAfterFinished: { type: "integer", minimum: 0, default: 600 },
        },
      }),
      ingress: obj({
        description:
          "How traffic enters the stack: an Ingress, or Gateway API HTTPRoutes. host, path, tls and sourceCidrs are shared by both kinds.",
        properties: {
          enabled: { type: "boolean", default: true, description: "Route traffic into the stack (off: port-forward only)" },
          kind: {
            enum: ["ingress", "gateway-api"],
            default: "ingress",
            description: "ingress: an Ingress per route (className, controller); gateway-api: HTTPRoutes (gatewayApi.*)",
          },
          controller: {
            enum: ["ingress-nginx", "aws-load-balancer", "other"],
            default: "ingress-nginx",
            description:
              "Which controller serves the Ingress: decides annotations and NetworkPolicy peers (other: no controller-specific annotations)",
          },
          className: { type: "string", minLength: 1, default: "nginx" },
          controllerNamespace: { ...dnsLabel, default: "ingress-nginx", description: "Where the controller runs" },
          host: {
            ...hostName,
            default: "gateway.example.com",
            description: "The gateway's DNS host name (RFC 1123, no wildcard): its URL (APP_DOMAIN)",
          },
          additionalHosts: {
            type: "array",
            uniqueItems: true,
            items: hostName,
            default: [],
            description:
              "More host names the routes answer on (aliases, *.wildcards): Ingress rules and TLS hosts, HTTPRoute hostnames, the stack's Gateway's listeners and the Certificate's dnsNames; exact names join ALLOWED_ORIGINS and CSRF_TRUSTED_ORIGINS",
          },
          path: { ...absolutePath, default: "/" },
          sourceCidrs: {
            ...cidrList,
            default: [],
            description:
              "Load balancers in IP mode (AWS, either kind): the subnets the load balancer lives in, admitted by NetworkPolicy; not the whole VPC, which would admit every pod of the VPC",
          },
          certificateArn: {
            ...pattern("^arn:aws[a-z-]*:acm:", "an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/<id>"),
            description:
              "aws-load-balancer: ACM certificate of the HTTPS listener (alb.ingress.kubernetes.io/certificate-arn; the ALB ignores tls.secretName); unset = the controller discovers one matching the host",
          },
          controllerPublishesStatus: {
            type: "boolean",
            default: true,
            description:
              "The controller writes status.loadBalancer on Ingresses (ingress-nginx: publish-service of a LoadBalancer Service, or --publish-status-address); false (NodePort, hostNetwork): Argo CD's Ingress health needs the customization in README",
          },
          controllerHostNetwork: {
            type: "boolean",
            default: false,
            description: "ingress-nginx runs with hostNetwork: its traffic comes from node addresses (ingress.nodeCidrs), not from pods of its namespace",
          },
          nodeCidrs: {
            ...cidrList,
            default: [],
            description: "The nodes' addresses, where a hostNetwork controller connects from (NetworkPolicy ipBlock peers)",
          },
          tls: obj({
            properties: {
              enabled: { type: "boolean", default: true },
              secretName: { ...dnsLabel, default: "mcp-gateway-tls", description: "Secret holding the certificate (Ingress tls, Gateway listener certificateRef)" },
              certificate: obj({
                description: "A cert-manager Certificate that writes secretName (needs cert-manager and an issuer)",
                properties: {
                  enabled: { type: "boolean", default: false },
                  issuerName: { ...dnsLabel, default: "letsencrypt" },
                  issuerKind: { enum: ["ClusterIssuer", "Issuer"], default: "ClusterIssuer" },
                },
              }),
            },
          }),
          annotations: { ...stringMap, description: "Extra Ingress annotations (kind ingress)" },
          gatewayApi: obj({
            description: "kind gateway-api: which implementation serves the routes and which Gateway they attach to.",
            properties: {
              implementation: {
                enum: ["envoy-gateway", "nginx-gateway-fabric", "istio", "cilium", "traefik", "aws-load-balancer", "other"],
                default: "envoy-gateway",
                description: "Decides the GatewayClass default and the NetworkPolicy peer of its data plane (README: Gateway API)",
              },
              mode: {
                enum: ["attach", "create"],
                default: "attach",
                description: "attach: to a Gateway the platform owns; create: render a Gateway for the stack",
              },
              gateway: obj({
                properties: {
                  name: { ...dnsLabel, default: "mcp-stack", description: "The Gateway's name" },
                  namespace: { ...dnsLabel, description: "attach: the Gateway's namespace; unset = the stack's namespace" },
                  sectionName: { ...dnsLabel, description: "attach: the listener to attach to; unset = every listener that admits the route" },
                  className: { type: "string", minLength: 1, description: "create: gatewayClassName; unset = the implementation's usual class" },
                },
              }),
              listeners: {
                type: "array",
                default: [],
                description:
                  "create: the Gateway's listeners, replacing the default (http on 80 and, with TLS, https on 443, one pair per host); the routes attach to those whose `routes` is serve",
                items: obj({
                  properties: {
                    name: { ...dnsLabel, description: "Listener name (the routes' sectionName)" },
                    port,
                    protocol: { enum: ["HTTP", "HTTPS"] },
                    hostname: { ...hostName, description: "Host names it accepts (a *.wildcard allowed); unset = every host" },
                    tls: obj({
                      optional: true,
                      description: "HTTPS: how it terminates TLS",
                      properties: {
                        mode: { enum: ["Terminate", "Passthrough"], default: "Terminate" },
                        certificateRefs: {
                          type: "array",
                          items: obj({
                            properties: {
                              name: { ...dnsSubdomain, description: "Secret name" },
                              namespace: { ...dnsLabel, description: "unset = the stack's namespace (another needs a ReferenceGrant there)" },
                            },
                            required: ["name"],
                          }),
                        },
                      },
                    }),
                    allowedRoutes: obj({
                      optional: true,
                      properties: {
                        from: { enum: ["Same", "All", "Selector"], default: "Same" },
                        selector: obj({ properties: { matchLabels: { type: "object", additionalProperties: { type: "string" } } }, required: ["matchLabels"] }),
                      },
                    }),
                    routes: {
                      enum: ["serve", "redirect", "none"],
                      description: "What the stack attaches: its routes, the HTTPS redirect, or nothing; unset = serve on HTTPS, and on HTTP redirect when an HTTPS listener exists (else serve)",
                    },
                  },
                  required: ["name", "port", "protocol"],
                }),
              },
              requestTimeout: {
                ...pattern("^(|([0-9]{1,5}(h|m|s|ms)){1,4})$", "a Gateway API duration such as 0s, 300s or 1h30m, or \"\""),
                default: "0s",
                description:
                  "HTTPRoute timeouts.request of both routes: 0s = none (Envoy's default of 15 s would end SSE and streamable-HTTP " +
                  "streams); \"\" = the implementation's default",
              },
              dataPlane: obj({
                description:
                  "Where the implementation's proxies run, when the built-in table does not fit (required for cilium and other)",
                properties: {
                  namespace: { ...dnsLabel, description: "Namespace of the proxy pods" },
                  podLabels: { ...stringMap, description: "Labels of the proxy pods (empty: every pod of the namespace)" },
                },
              }),
            },
          }),
        },
      }),
      storageClass: obj({
        description:
          "A StorageClass rendered with the overlay (cluster-scoped; EKS ships gp2 only). Leave off where the class exists: its parameters are immutable.",
        properties: {
          create: { type: "boolean", default: false, description: "Render it (persistence.storageClassName names it)" },
          name: { ...dnsLabel, default: "gp3" },
          provisioner: { type: "string", minLength: 1, default: "ebs.csi.aws.com", description: "CSI driver (preflight checks it is installed)" },
          parameters: { type: "object", additionalProperties: { type: "string" }, default: { type: "gp3", encrypted: "true" } },
          reclaimPolicy: { enum: ["Delete", "Retain"], default: "Delete" },
        },
      }),
      adminUIs: obj({
        properties: {
          pgadmin: { type: "boolean", default: false, description: "PgAdmin component" },
          redisCommander: { type: "boolean", default: false, description: "Redis Commander component" },
        },
      }),
      monitoring: obj({
        description:
          "Kustomize Component monitoring: ServiceMonitors (gateway with a bearer token, PostgreSQL and Redis exporters), " +
          "a PrometheusRule and a Grafana dashboard. Needs the Prometheus Operator CRDs: turn it on only where they exist.",
        properties: {
          enabled: { type: "boolean", default: false, description: "Monitoring component (Prometheus Operator present)" },
          prometheusNamespace: { ...dnsLabel, default: "monitoring", description: "Namespace Prometheus scrapes from (NetworkPolicy peer)" },
          prometheusPodLabels: { ...stringMap, description: "Labels of the Prometheus pods, to narrow the NetworkPolicy peer" },
          labels: {
            ...stringMap,
            description: "Labels on ServiceMonitors and the PrometheusRule: what the Prometheus instance selects (e.g. release: kube-prometheus-stack)",
          },
          scrapeInterval: { ...pattern("^[0-9]+(s|m)$", "a duration such as 30s or 5m"), default: "30s" },
          grafanaDashboardLabels: {
            type: "object",
            additionalProperties: { type: "string" },
            default: { grafana_dashboard: "1" },
            description: "Labels the Grafana dashboard sidecar watches for",
          },
          grafanaFolder: { type: "string", minLength: 1, description: "Grafana folder (annotation grafana_folder)" },
          runbookBaseUrl: {
            ...httpUrl,
            default: "https://github.com/example-org/mcp-stack-gitops/blob/main/README.md",
            description: "Alerts link to <runbookBaseUrl>#<alert name in lower case>",
          },
          errorRatePercent: { type: "number", exclusiveMinimum: 0, maximum: 100, default: 5, description: "5xx share of gateway responses that alerts" },
          volumeFreePercent: { type: "integer", minimum: 1, maximum: 50, default: 15, description: "Free space of a data volume below which it alerts" },
          postgresExporter: image("quay.io/prometheuscommunity/postgres-exporter", "v0.17.1"),
          redisExporter: image("docker.io/oliver006/redis_exporter", "v1.74.0"),
        },
      }),
      backup: obj({
        description:
          "Kustomize Component backup: a pg_dump CronJob (custom format) to a volume or to S3-compatible object storage, " +
          "and a suspended restore CronJob used as a Job template (README: Backups and restore).",
        properties: {
          enabled: { type: "boolean", default: false, description: "Backup component" },
          schedule: { type: "string", minLength: 1, default: "15 2 * * *", description: "Cron schedule of pg_dump (five fields, or @daily, @hourly, @every 6h)" },
          timeZone: { type: "string", minLength: 1, default: "Etc/UTC", description: "IANA time zone of the schedule" },
          retentionDays: { type: "integer", minimum: 1, maximum: 3650, default: 7, description: "Dumps older than this are deleted" },
          activeDeadlineSeconds: { type: "integer", minimum: 60, default: 3600 },
          ttlSecondsAfterFinished: {
            type: "integer",
            minimum: 0,
            default: 86400,
            description: "How long a finished backup Job (and the PostgresBackupFailed alert) stays",
          },
          target: { enum: ["volume", "s3"], default: "volume", description: "volume: a claim of its own; s3: object storage" },
          volume: obj({
            properties: {
              size: { ...quantity, default: "10Gi" },
              storageClassName: { type: "string", description: "StorageClass; unset = cluster default" },
            },
          }),
          s3: obj({
            properties: {
              bucket: s3Bucket,
              prefix: { ...keyPrefix, default: "postgres" },
              region: { ...awsRegion, description: "AWS region (AWS_DEFAULT_REGION)" },
              endpoint: { ...httpUrl, description: "S3-compatible endpoint (MinIO, Ceph); unset = AWS" },
              secretName: {
                ...dnsLabel,
                description: "Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, created outside git; unset = workload identity (IRSA)",
              },
              egressCidrs: {
                type: "array",
                minItems: 1,
                default: ["0.0.0.0/0"],
                items: { ...cidrPattern },
                description: "Where the object store is (NetworkPolicy egress on 443, or the endpoint's port)",
              },
              image: image("docker.io/amazon/aws-cli", "2.27.0"),
            },
          }),
          serviceAccountAnnotations: {
            ...stringMap,
            description: "Annotations on the backup and restore ServiceAccounts (e.g. IRSA eks.amazonaws.com/role-arn)",
          },
        },
      }),
      velero: obj({
        description: "Velero annotations on the data stores' pods (volume claims take persistence.annotations)",
        properties: {
          enabled: { type: "boolean", default: false },
          fileSystemBackup: {
            type: "boolean",
            default: true,
            description: "backup.velero.io/backup-volumes: data (file-system backup); false = CSI snapshots only",
          },
        },
      }),
      argocd: obj({
        description:
          "Argo CD delivery: one Application per enabled environment in the root kustomization. " +
          "Environments with credentials.source local cannot be synced from git and must set enabled: false.",
        properties: {
          enabled: { type: "boolean", default: true, description: "Render an Argo CD Application for this environment" },
          repoURL: {
            type: "string",
            minLength: 1,
            default: "https://github.com/example-org/mcp-stack-gitops.git",
            description: "Git repository Argo CD syncs from (this repository's clone URL)",
          },
          targetRevision: { type: "string", minLength: 1, default: "main", description: "Branch, tag or commit" },
          project: { ...dnsLabel, default: "mcp-stack", description: "AppProject the Application belongs to" },
          destination: obj({
            // No property has a default, and yet the Application always names a destination (the in-cluster API).
            default: {},
            description: "Target cluster: server URL or the cluster's name in Argo CD (not both); default the in-cluster API",
            properties: argoCdClusterRef,
          }),
          automated: obj({
            properties: {
              enabled: { type: "boolean", default: true, description: "Sync automatically on every commit" },
              prune: { type: "boolean", default: true, description: "Delete objects removed from git (never data volumes)" },
              selfHeal: { type: "boolean", default: true, description: "Revert changes made in the cluster" },
            },
          }),
          rollout: {
            type: "array",
            default: [
              { stage: "canary", maxUpdate: 1 },
              { stage: "production", maxUpdate: "25%" },
            ],
            minItems: 1,
            description:
              "Fleets (clusters): the ApplicationSet's RollingSync steps, in order; each updates the clusters of one stage, at most maxUpdate at a time",
            items: obj({
              properties: {
                stage: { ...dnsLabel, description: "Stage label of the clusters this step updates" },
                maxUpdate: {
                  oneOf: [
                    { type: "integer", minimum: 1 },
                    { ...pattern("^([1-9][0-9]?|100)%$", "a percentage such as 25%") },
                  ],
                  description: "Clusters updated at once: a number, or a percentage such as 25%",
                },
              },
              required: ["stage", "maxUpdate"],
            }),
          },
        },
      }),
      clusters: {
        type: "array",
        default: [],
        description:
          "A fleet: the clusters this environment is deployed to, each with a generated overlay " +
          "clusters/<env>/<name>/ built on the environment's; Argo CD delivers them with one ApplicationSet",
        items: obj({
          properties: {
            name: { ...dnsLabel, description: "Cluster name: overlay folder and Application name suffix" },
            stage: { ...dnsLabel, description: "Rollout stage (argocd.rollout), e.g. canary or production" },
            destination: obj({
              description: "The cluster in Argo CD: server URL or registered name (not both)",
              properties: argoCdClusterRef,
            }),
            host: {
              ...hostName,
              description: "The cluster's ingress host (RFC 1123)",
            },
            additionalHosts: {
              type: "array",
              uniqueItems: true,
              items: hostName,
              description: "The cluster's further host names (replace ingress.additionalHosts)",
            },
            region: { ...awsRegion, description: "AWS region of the backup bucket" },
            gatewayRoleArn: { ...awsArn, description: "IRSA role of the gateway's ServiceAccount" },
            backupRoleArn: { ...awsArn, description: "IRSA role of the backup ServiceAccounts" },
            secretStorePrefix: {
              ...keyPrefix,
              description: "External Secrets: remote keys are <prefix>/<secret name>",
            },
            backup: obj({
              properties: {
                bucket: s3Bucket,
                prefix: { ...keyPrefix, description: "Object key prefix" },
              },
            }),
            nodeSelector: { ...stringMap, description: "Node selector for every pod in this cluster (replaces the environment's)" },
            shares: {
              type: "array",
              uniqueItems: true,
              default: [],
              items: { enum: ["host", "secretStorePrefix", "backup"] },
              description: "Identities this cluster shares with another cluster on purpose (otherwise sharing is an error)",
            },
          },
          required: ["name", "stage", "destination"],
        }),
      },
      postSyncTests: obj({
        description: "Jobs run after every sync (Argo CD PostSync hooks; under kubectl apply they run once, right away)",
        properties: {
          enabled: {
            type: "boolean",
            default: true,
            description: "Smoke test: the gateway's /health and /ready through its Service; a failure fails the sync",
          },
          timeoutSeconds: { type: "integer", minimum: 10, maximum: 3600, default: 300, description: "How long the test waits" },
          registerFastTime: {
            type: "boolean",
            default: false,
            description:
              "Register the fast-time server with the gateway (its Service address is in the derived SSRF_ALLOWED_NETWORKS: network.serviceCidrs)",
          },
        },
      }),
      cluster: obj({
        description:
          "What the target cluster provides before the first sync. Nothing is rendered from it: the deployability " +
          "analysis (npm run deployability) simulates the install against it, and preflight checks the real cluster.",
        properties: {
          crds: {
            type: "array",
            uniqueItems: true,
            default: [],
            items: { ...pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", "an API group such as external-secrets.io") },
            description: "API groups whose CRDs are installed (e.g. external-secrets.io, monitoring.coreos.com)",
          },
          metricsServer: { type: "boolean", default: true, description: "metrics.k8s.io is served (an HPA reads metrics)" },
          storageClasses: {
            type: "array",
            default: [{ name: "standard", default: true, volumeBindingMode: "WaitForFirstConsumer" }],
            items: obj({
              properties: {
                name: { type: "string", minLength: 1 },
                default: { type: "boolean", default: false },
                volumeBindingMode: { enum: ["Immediate", "WaitForFirstConsumer"], default: "WaitForFirstConsumer" },
              },
              required: ["name"],
            }),
            description: "StorageClasses that exist (one may be the default)",
          },
          existingSecrets: {
            type: "array",
            uniqueItems: true,
            default: [],
            items: { type: "string", minLength: 1 },
            description: "Secrets created in the namespace before the first sync (credentials.source existingSecrets, TLS)",
          },
          remoteSecrets: {
            type: "array",
            uniqueItems: true,
            default: [],
            items: { type: "string", minLength: 1 },
            description: "Keys the secret store holds before the first sync (ExternalSecret remoteRef.key)",
          },
        },
      }),
      migrateFromHelm: obj({
        description:
          "This environment takes over a release of the mcp-stack Helm chart (npm run import writes it): " +
          "`npm run notes -- <env> --migrate-from-helm` prints the cutover runbook",
        properties: {
          release: { ...dnsLabel, description: "Helm release name" },
          fullname: {
            ...dnsLabelPattern,
            description: "The chart's object name prefix (<release>-mcp-stack unless fullnameOverride/nameOverride)",
          },
          claimsKept: {
            type: "boolean",
            default: false,
            description:
              "Set once the release's claims carry helm.sh/resource-policy: keep (runbook step 1); until then the deployability analysis warns",
          },
        },
        required: ["release", "fullname"],
      }),
      extraResources: {
        type: "array",
        default: [],
        items: { ...overlayYamlFile },
        description: "Hand-written manifests in the overlay folder (paths relative to it), added to the overlay's kustomize resources",
      },
      extraPatches: {
        type: "array",
        default: [],
        description:
          "Hand-written patches in the overlay folder, added to the overlay's kustomize patches in this order (after the generated ones), e.g. [{ path: patch-gateway.yaml, target: { kind: Deployment, name: mcp-gateway } }]",
        items: obj({
          properties: {
            path: {
              ...overlayYamlFile,
              description: "Patch file relative to the overlay folder: a strategic-merge patch (it names its object) or a JSON 6902 patch (needs target)",
            },
            target: obj({
              description: "Which objects the patch applies to (kustomize patch target); required for a JSON 6902 patch",
              properties: { kind: { type: "string", description: "Kind, e.g. Deployment" }, name: { type: "string", description: "Object name, e.g. mcp-gateway" } },
            }),
          },
          required: ["path"],
        }),
      },
      shares: {
        type: "array",
        uniqueItems: true,
        default: [],
        items: { enum: ["host", "secretStorePrefix", "backup", "iamRole"] },
        description:
          "Identities this environment shares with other environments on purpose (both must list it); otherwise the same host, secret-store path, backup bucket and prefix, or IAM role in two environments is an error",
      },
    },
  }),
} as const;

export type Settings = FromSchema<typeof settingsSchema>;

/**
 * Gateway API implementations whose proxies no Kubernetes NetworkPolicy peer can select (ingress.gatewayApi.dataPlane
 * must then say where they run). The stack's table of implementations (scripts/stack/gateway-api.ts) agrees (a test).
 */
export const DATA_PLANE_NOT_SELECTABLE = {
  cilium:
    "Cilium's per-node Envoy reaches backends as the reserved 'ingress' identity, which a Kubernetes NetworkPolicy cannot select " +
    "(a CiliumNetworkPolicy with fromEntities: [ingress] can, as an extraResources file)",
  other: "an unlisted implementation: say where its proxies run",
} as const satisfies Partial<Record<Settings["ingress"]["gatewayApi"]["implementation"], string>>;

