// The credential objects an environment renders, per settings.credentials.source (see credentials.ts):
// Secrets from local credentials (emitted through a secretGenerator), ExternalSecrets, or nothing.
import { Secret } from "kubernetes-models/v1/Secret";
import { metadata, stackLabels } from "./meta.ts";
import { requiredSecrets } from "./credentials.ts";
import { ExternalSecret } from "./external-secret.ts";
import type { StackContext, StackObject } from "./types.ts";

const SOURCE = "scripts/stack/secrets.ts";

export function secrets({ settings: s, localCredentials }: StackContext): StackObject[] {
  const specs = requiredSecrets(s);
  const labels = stackLabels(s, "credentials");
  switch (s.credentials.source) {
    case "existingSecrets":
      return [];
    case "local":
      return specs.map((spec) => ({
        object: new Secret({
          metadata: metadata(spec.name, labels, s),
          type: "Opaque",
          data: Object.fromEntries(
            Object.entries(localCredentials?.[spec.name] ?? {}).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
          ),
        }),
        source: SOURCE,
        generator: "env" as const,
        localCredentials: true,
      }));
    case "externalSecrets": {
      const es = s.credentials.externalSecrets;
      return specs.map((spec) => ({
        object: new ExternalSecret({
          metadata: metadata(spec.name, labels, s),
          spec: {
            refreshInterval: es.refreshInterval,
            secretStoreRef: { kind: es.storeKind, name: es.storeName },
            target: { name: spec.name, creationPolicy: "Owner", deletionPolicy: "Retain" },
            data: Object.keys(spec.keys).map((key) => ({
              secretKey: key,
              // ESO's defaults written out: versions before the upstream fix default them into the live object,
              // and Argo CD would report that as drift forever (never Synced).
              remoteRef: {
                key: `${es.remoteKeyPrefix}/${spec.name}`,
                property: key,
                conversionStrategy: "Default",
                decodingStrategy: "None",
                metadataPolicy: "None",
              },
            })),
          },
        }),
        source: SOURCE,
        component: "external-secrets" as const,
      }));
    }
  }
}
