// Schema downloads honour HTTP_PROXY/HTTPS_PROXY/NO_PROXY as kubeconform's Go client does
// (http.ProxyFromEnvironment): a forward proxy and a CONNECT proxy run in this process; like Go,
// localhost and loopback addresses are never proxied, and NO_PROXY hosts go direct.
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { forgetSchemas, validateDocuments } from "../../packages/validate/src/index.ts";
import { tempDir } from "./helpers.ts";

const SCHEMA = JSON.stringify({ type: "object", properties: { spec: { type: "object", required: ["size"] } } });
const input = [{ filename: "g.yaml", content: "apiVersion: v1\nkind: Gizmo\nmetadata: {name: g}\nspec: {}\n" }];

interface Seen {
  proxied: string[];
  connects: string[];
  direct: string[];
}
const seen: Seen = { proxied: [], connects: [], direct: [] };
let proxy: http.Server;
let origin: http.Server;
let proxyPort = 0;
let originPort = 0;
const saved = Object.fromEntries(["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"].map((k) => [k, process.env[k]]));

beforeAll(async () => {
  // a forward proxy: answers absolute-URI requests itself; CONNECT requests are recorded and refused
  proxy = http.createServer((req, res) => {
    seen.proxied.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(SCHEMA);
  });
  proxy.on("connect", (req, socket: net.Socket) => {
    seen.connects.push(req.url ?? "");
    socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
  });
  origin = http.createServer((req, res) => {
    seen.direct.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(SCHEMA);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => origin.listen(0, "0.0.0.0", resolve));
  proxyPort = (proxy.address() as net.AddressInfo).port;
  originPort = (origin.address() as net.AddressInfo).port;
});

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  seen.proxied.length = seen.connects.length = seen.direct.length = 0;
  forgetSchemas();
});

afterAll(() => {
  proxy.close();
  origin.close();
});

function setProxies(vars: Record<string, string>) {
  for (const k of Object.keys(saved)) delete process.env[k];
  Object.assign(process.env, vars);
}

async function statusWith(location: string) {
  const report = await validateDocuments(input, { cacheDir: tempDir(), workers: 1, schemaLocations: [location] });
  return report.resources.map((r) => [r.status, r.msg.replace(/ - at .*/, "")]);
}

/** An address of this machine that is not loopback, so that Go (and we) would proxy it. */
function externalAddress(): string | undefined {
  return Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal)?.address;
}

describe("schema downloads through proxies (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)", () => {
  it("HTTP_PROXY: http schema URLs are fetched through the proxy (absolute-URI request)", async () => {
    setProxies({ HTTP_PROXY: `http://127.0.0.1:${proxyPort}` });
    const result = await statusWith("http://schemas.example.test/p1/{{.ResourceKind}}.json");
    expect(result).toEqual([["statusInvalid", "problem validating schema. Check JSON formatting: jsonschema validation failed with 'http://schemas.example.test/p1/gizmo.json#'"]]);
    expect(seen.proxied).toEqual(["http://schemas.example.test/p1/gizmo.json"]);
  });

  it("lower-case http_proxy works too, and HTTPS_PROXY alone leaves http URLs direct", async () => {
    setProxies({ http_proxy: `http://127.0.0.1:${proxyPort}` });
    await statusWith("http://schemas.example.test/p2/{{.ResourceKind}}.json");
    expect(seen.proxied).toEqual(["http://schemas.example.test/p2/gizmo.json"]);
    const host = externalAddress();
    if (!host) return;
    setProxies({ HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` });
    expect((await statusWith(`http://${host}:${originPort}/p3/{{.ResourceKind}}.json`))[0]![0]).toBe("statusInvalid");
    expect(seen.direct).toEqual(["/p3/gizmo.json"]);
    expect(seen.proxied).toHaveLength(1);
  });

  it("HTTPS_PROXY: https schema URLs open a CONNECT tunnel to the schema host", async () => {
    setProxies({ HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` });
    const [[status, msg]] = (await statusWith("https://schemas.example.test/p4/{{.ResourceKind}}.json")) as [[string, string]];
    expect(status).toBe("statusError");
    expect(msg).toContain("failed downloading schema at https://schemas.example.test/p4/gizmo.json");
    expect(seen.connects[0]).toBe("schemas.example.test:443");
    expect(seen.proxied).toEqual([]);
  });

  it("NO_PROXY hosts, localhost and loopback addresses go direct", async () => {
    setProxies({ HTTP_PROXY: `http://127.0.0.1:${proxyPort}` });
    expect((await statusWith(`http://127.0.0.1:${originPort}/p5/{{.ResourceKind}}.json`))[0]![0]).toBe("statusInvalid");
    expect((await statusWith(`http://localhost:${originPort}/p6/{{.ResourceKind}}.json`))[0]![0]).toBe("statusInvalid");
    expect(seen.direct).toEqual(["/p5/gizmo.json", "/p6/gizmo.json"]);
    expect(seen.proxied).toEqual([]);
    const host = externalAddress();
    if (!host) return;
    // proxied unless NO_PROXY names it
    await statusWith(`http://${host}:${originPort}/p7/{{.ResourceKind}}.json`);
    expect(seen.proxied).toEqual([`http://${host}:${originPort}/p7/gizmo.json`]);
    setProxies({ HTTP_PROXY: `http://127.0.0.1:${proxyPort}`, NO_PROXY: `example.org,${host}` });
    expect((await statusWith(`http://${host}:${originPort}/p8/{{.ResourceKind}}.json`))[0]![0]).toBe("statusInvalid");
    expect(seen.direct.at(-1)).toBe("/p8/gizmo.json");
    expect(seen.proxied).toHaveLength(1);
  });
});
