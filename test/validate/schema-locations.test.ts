import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../packages/validate/src/errors.ts";
import {
  checkKubernetesVersion,
  isReachable,
  parseSchemaLocation,
  renderSchemaPath,
  templateValues,
} from "../../packages/validate/src/schema-locations.ts";
import { crdsTemplate, schemasDir } from "./helpers.ts";

const k8s = (kind: string, apiVersion: string, version = "1.36.2", strict = true) =>
  renderSchemaPath(parseSchemaLocation("schemas"), kind, apiVersion, version, strict);

describe("schema-location templating (kubeconform pkg/registry)", () => {
  it("appends the kubernetes-json-schema layout to a directory and names files as kubeconform does", () => {
    expect(k8s("Deployment", "apps/v1")).toBe("schemas/v1.36.2-standalone-strict/deployment-apps-v1.json");
    expect(k8s("StatefulSet", "apps/v1")).toBe("schemas/v1.36.2-standalone-strict/statefulset-apps-v1.json");
    expect(k8s("Service", "v1")).toBe("schemas/v1.36.2-standalone-strict/service-v1.json");
    expect(k8s("Ingress", "networking.k8s.io/v1")).toBe("schemas/v1.36.2-standalone-strict/ingress-networking-v1.json");
    expect(k8s("NetworkPolicy", "networking.k8s.io/v1")).toBe("schemas/v1.36.2-standalone-strict/networkpolicy-networking-v1.json");
    expect(k8s("PodDisruptionBudget", "policy/v1")).toBe("schemas/v1.36.2-standalone-strict/poddisruptionbudget-policy-v1.json");
    expect(k8s("HorizontalPodAutoscaler", "autoscaling/v2")).toBe("schemas/v1.36.2-standalone-strict/horizontalpodautoscaler-autoscaling-v2.json");
    expect(k8s("Job", "batch/v1")).toBe("schemas/v1.36.2-standalone-strict/job-batch-v1.json");
    expect(k8s("PersistentVolumeClaim", "v1")).toBe("schemas/v1.36.2-standalone-strict/persistentvolumeclaim-v1.json");
  });

  it("uses master without a v, and drops -strict when not strict", () => {
    expect(k8s("Deployment", "apps/v1", "master", true)).toBe("schemas/master-standalone-strict/deployment-apps-v1.json");
    expect(k8s("Deployment", "apps/v1", "1.33.1", false)).toBe("schemas/v1.33.1-standalone/deployment-apps-v1.json");
  });

  it("computes the template variables, including the core-group quirk", () => {
    expect(templateValues("Deployment", "apps/v1", "1.36.2", true)).toEqual({
      NormalizedKubernetesVersion: "v1.36.2",
      StrictSuffix: "-strict",
      ResourceKind: "deployment",
      ResourceAPIVersion: "v1",
      Group: "apps",
      KindSuffix: "-apps-v1",
    });
    expect(templateValues("Service", "v1", "master", false)).toMatchObject({ Group: "v1", ResourceAPIVersion: "v1", KindSuffix: "-v1" });
    expect(templateValues("ExternalSecret", "External-Secrets.io/V1", "1.36.2", true)).toMatchObject({
      Group: "External-Secrets.io",
      ResourceAPIVersion: "V1",
      KindSuffix: "-external-secrets-v1",
    });
  });

  it("treats a location ending in json as a template, with or without spaces in the actions", () => {
    const crd = parseSchemaLocation(crdsTemplate);
    expect(renderSchemaPath(crd, "Application", "argoproj.io/v1alpha1", "1.36.2", true)).toBe(
      `${schemasDir}/crds/argoproj.io/application_v1alpha1.json`,
    );
    const spaced = parseSchemaLocation("x/{{ .Group }}/{{ .ResourceKind }}{{ .KindSuffix }}-{{.StrictSuffix}}.json");
    expect(renderSchemaPath(spaced, "Service", "v1", "1.36.2", false)).toBe("x/v1/service-v1-.json");
    // kubeconform checks the suffix "json", not ".json"
    expect(parseSchemaLocation("schemas/myjson").template).toBe("schemas/myjson");
  });

  it("expands default to kubeconform's remote registry", () => {
    const location = parseSchemaLocation("default");
    expect(location.remote).toBe(true);
    expect(renderSchemaPath(location, "Service", "v1", "1.36.2", true)).toBe(
      "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.36.2-standalone-strict/service-v1.json",
    );
  });

  it("rejects unknown template fields as a usage error", () => {
    expect(() => parseSchemaLocation("foo/{{ .Foo }}.json")).toThrow(UsageError);
    expect(() => parseSchemaLocation("foo/{{ .Foo }}.json")).toThrow(/failed initialising schema location registry/);
  });

  it("accepts master or x.y.z as the Kubernetes version, nothing else", () => {
    expect(() => checkKubernetesVersion("master")).not.toThrow();
    expect(() => checkKubernetesVersion("1.36.2")).not.toThrow();
    for (const bad of ["1.36", "v1.36.2", "latest", "1.36.2-rc1"]) expect(() => checkKubernetesVersion(bad)).toThrow(UsageError);
  });

  it("calls a local location reachable only when its directory exists", () => {
    expect(isReachable(parseSchemaLocation(schemasDir))).toBe(true);
    expect(isReachable(parseSchemaLocation(crdsTemplate))).toBe(true);
    expect(isReachable(parseSchemaLocation(path.join(schemasDir, "does-not-exist")))).toBe(false);
    expect(isReachable(parseSchemaLocation("https://example.invalid/{{.ResourceKind}}.json"))).toBe(true);
    expect(fs.existsSync(k8s("Deployment", "apps/v1").replace(/^schemas/, schemasDir))).toBe(true);
  });
});
