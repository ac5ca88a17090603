// ExternalSecret at external-secrets.io/v1, the version current External Secrets Operator serves.
// The kubernetes-models package ships the v1beta1 model only; v1 kept the fields we use unchanged
// (secretStoreRef, target, data[].remoteRef), so the v1beta1 types and validator check this object.
// `npm run validate` then checks the rendered object against the real v1 CRD schema.
import { Model, setValidateFunc, createTypeMetaGuard, type ModelData } from "@kubernetes-models/base";
import type { IExternalSecret as IExternalSecretV1beta1 } from "@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret";
import { ExternalSecret as ExternalSecretV1beta1 } from "@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret";

export interface IExternalSecret extends Omit<IExternalSecretV1beta1, "apiVersion"> {
  apiVersion: "external-secrets.io/v1";
}

export class ExternalSecret extends Model<IExternalSecret> implements IExternalSecret {
  "apiVersion": IExternalSecret["apiVersion"];
  "kind": IExternalSecret["kind"];
  "metadata"?: IExternalSecret["metadata"];
  "spec"?: IExternalSecret["spec"];
  static apiVersion: IExternalSecret["apiVersion"] = "external-secrets.io/v1";
  static kind: IExternalSecret["kind"] = "ExternalSecret";
  static is = createTypeMetaGuard<IExternalSecret>(ExternalSecret);
  constructor(data?: ModelData<IExternalSecret>) {
    super();
    this.setDefinedProps({ apiVersion: ExternalSecret.apiVersion, kind: ExternalSecret.kind, ...data } as ModelData<IExternalSecret>);
  }
}

setValidateFunc(ExternalSecret, ((data: IExternalSecret) => {
  const { apiVersion: _v1, kind: _kind, ...rest } = data;
  new ExternalSecretV1beta1(rest).validate(); // throws with the field path on error
  return true;
}) as unknown as Parameters<typeof setValidateFunc<IExternalSecret>>[1]);
