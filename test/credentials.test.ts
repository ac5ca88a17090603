// Local credentials are never silently replaced: once a file exists, a missing, empty or malformed key stops
// generation (exit 2 as an InputError) naming the file, the key and what it protects; re-creating takes an
// explicit --rotate-credentials, which says what stops working. In-process.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureLocalCredentials, rotationWarning, writePendingCredentials, type PendingWrite } from "../scripts/lib/local-credentials.ts";
import { loadSettingsFile } from "../scripts/settings/load.ts";
import { InputError } from "../scripts/lib/cli.ts";
import { generate } from "../scripts/generate/run.ts";
import { copyRepo, REPO_ROOT } from "./helpers/repo.ts";

const dev = loadSettingsFile(path.join(REPO_ROOT, "overlays/dev/settings.yaml"));
const devMonitoring = { ...dev, monitoring: { ...dev.monitoring, enabled: true } };
let root: string;
const gatewayFile = () => path.join(root, "overlays/dev/credentials/mcp-gateway-credentials.env");

function firstRun(settings = dev) {
  const pending: PendingWrite[] = [];
  const values = ensureLocalCredentials(root, "dev", settings, pending);
  writePendingCredentials(pending);
  return values;
}

function failure(settings = dev): InputError {
  const pending: PendingWrite[] = [];
  try {
    ensureLocalCredentials(root, "dev", settings, pending);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect(pending).toEqual([]); // nothing would be written
    return err as InputError;
  }
  throw new Error("expected an InputError");
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-credentials-"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("an existing local credentials file is never silently replaced", () => {
  it("a deleted AUTH_ENCRYPTION_SECRET stops generation: file, key and the data it protects", () => {
    firstRun();
    const before = fs.readFileSync(gatewayFile(), "utf8");
    fs.writeFileSync(gatewayFile(), before.replace(/^AUTH_ENCRYPTION_SECRET=.*\n/m, ""));
    const e = failure();
    expect(e.format()).toMatch(/^overlays\/dev\/credentials\/mcp-gateway-credentials\.env: AUTH_ENCRYPTION_SECRET: AUTH_ENCRYPTION_SECRET missing from an existing credentials file/);
    expect(e.format()).toMatch(/can no longer be decrypted/);
    expect(e.format()).toMatch(/--rotate-credentials mcp-gateway-credentials/);
    expect(e.format()).not.toContain(before.match(/^JWT_SECRET_KEY=(.*)$/m)![1]); // never a secret value
  });

  it("an empty value, and a line that is not KEY=value, name their line", () => {
    firstRun();
    const text = fs.readFileSync(gatewayFile(), "utf8");
    fs.writeFileSync(gatewayFile(), text.replace(/^JWT_SECRET_KEY=.*$/m, "JWT_SECRET_KEY="));
    expect(failure().format()).toMatch(/JWT_SECRET_KEY: JWT_SECRET_KEY \(line \d+\) is empty; it protects signs every token/);
    fs.writeFileSync(gatewayFile(), text.replace(/^JWT_SECRET_KEY=/m, "JWT_SECRET_KEY "));
    expect(failure().format()).toMatch(/mcp-gateway-credentials\.env: line \d+ is not a KEY=value line/);
  });

  it("a missing PostgreSQL password says the existing database cannot be reached with a new one", () => {
    firstRun();
    const file = path.join(root, "overlays/dev/credentials/postgres-credentials.env");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/^POSTGRES_PASSWORD=.*\n/m, ""));
    expect(failure().format()).toMatch(/postgres-credentials\.env: POSTGRES_PASSWORD: .*cannot connect to the existing database/);
  });

  it("a missing file is created; the metrics token (derived from JWT_SECRET_KEY) is re-minted when removed", () => {
    const first = firstRun(devMonitoring);
    const tokenFile = path.join(root, "overlays/dev/credentials/mcp-gateway-metrics-token.env");
    fs.writeFileSync(tokenFile, "# token removed to renew it\n");
    const pending: PendingWrite[] = [];
    const again = ensureLocalCredentials(root, "dev", devMonitoring, pending);
    expect(again["mcp-gateway-credentials"]).toEqual(first["mcp-gateway-credentials"]);
    expect(pending.map((p) => path.basename(p.file))).toEqual(["mcp-gateway-metrics-token.env"]);
    expect(again["mcp-gateway-metrics-token"]!.token).toMatch(/^ey/);
  });

  it("--rotate-credentials NAME re-creates that file only, and says what stops working", () => {
    const first = firstRun();
    const pending: PendingWrite[] = [];
    const rotated = ensureLocalCredentials(root, "dev", dev, pending, new Set(["mcp-gateway-credentials"]));
    expect(pending.map((p) => path.basename(p.file))).toEqual(["mcp-gateway-credentials.env"]);
    expect(rotated["mcp-gateway-credentials"]!.JWT_SECRET_KEY).not.toBe(first["mcp-gateway-credentials"]!.JWT_SECRET_KEY);
    expect(rotated["postgres-credentials"]).toEqual(first["postgres-credentials"]);
    expect(rotationWarning("mcp-gateway-credentials")).toEqual(
      expect.arrayContaining([expect.stringMatching(/^mcp-gateway-credentials: new AUTH_ENCRYPTION_SECRET: .*can no longer be decrypted/)]),
    );
  });
});

describe("generate --rotate-credentials ENV/NAME", () => {
  it("rotates one environment's file and leaves the other environments' alone", async () => {
    const repo = copyRepo({ credentials: "fixed" }); // the files a first run would have written
    try {
      await generate(repo, { check: false });
      const read = (env: string) => fs.readFileSync(path.join(repo, `overlays/${env}/credentials/redis-credentials.env`), "utf8");
      const [dev0, minikube0] = [read("dev"), read("minikube")];
      fs.writeFileSync(path.join(repo, "overlays/dev/credentials/redis-credentials.env"), "# emptied\n");
      await expect(generate(repo, { check: false })).rejects.toMatchObject({
        message: expect.stringMatching(/^REDIS_PASSWORD missing from an existing credentials file/),
        details: { file: "overlays/dev/credentials/redis-credentials.env", path: "REDIS_PASSWORD" },
      });
      await generate(repo, { check: false, rotateCredentials: ["dev/redis-credentials"] });
      expect(read("dev")).not.toBe(dev0);
      expect(read("dev")).toMatch(/^REDIS_PASSWORD=\S{16,}$/m);
      expect(read("minikube")).toBe(minikube0);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  }, 120_000);
});
