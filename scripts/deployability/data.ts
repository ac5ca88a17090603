// Loads scripts/deployability/data/app.yaml, the application facts (images, start-up dependencies, minted
// secrets, connection budget, flows). A malformed file is an InputError naming the key.
import { parse } from "yaml";
import { InputError } from "../lib/cli.ts";
import { isRecord } from "./model.ts";
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const { fileURLToPath } = process.getBuiltinModule("node:url");

export const APP_DATA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "data", "app.yaml");

export interface EnvDefault {
  env?: string;
  arg?: string;
  default: number | string;
  cite: string;
}

export interface ImageFacts {
  repository: string;
  source: string;
  process?: string;
  user: { uid: number; gid: number; need: "exact" | "uid-or-gid" | "any"; cite: string };
  writable: { path?: string; env?: string; default?: string; suffix?: string; cite: string }[];
  listen: EnvDefault;
  address?: { env: string; default: string; bad: string; cite: string };
}

export interface Dependency {
  target: { kind: string; app: string };
  what: string;
  onMissing: "exit" | "wait";
  when?: { env: string; equals: string };
  cite?: string;
  waitedBy?: string;
  bound?: { env: string; default: number; seconds: number; cite: string };
}

export interface DatabaseClient {
  app: string;
  connections?: number;
  pool?: EnvDefault;
  overflow?: EnvDefault;
  processes?: EnvDefault;
  cite?: string;
}

/** Where a party outside the cluster really is: a representative address and port (the flows to it: the stack's table). */
export interface OutsideAddress {
  address: string;
  port: number;
  what: string;
  /** A gateway call to an MCP server: SSRF settings apply. */
  ssrf?: boolean;
}

export interface AppData {
  images: ImageFacts[];
  dependencies: Record<string, Dependency[]>;
  database: { server: { app: string; maxConnections: number; reserved: number; cite: string }; clients: DatabaseClient[] };
  outsideAddresses: Record<string, OutsideAddress>;
  mcpServers: string[];
}

const REQUIRED: (keyof AppData)[] = ["images", "dependencies", "database", "outsideAddresses", "mcpServers"];

export function loadAppData(file = APP_DATA_FILE): AppData {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new InputError(`cannot read application facts: ${(err as Error).message.split("\n")[0]}`, { file });
  }
  if (!isRecord(doc)) throw new InputError("must be a mapping", { file });
  for (const key of REQUIRED) if (!(key in doc)) throw new InputError(`missing key "${key}"`, { file, path: key });
  (doc.images as unknown[]).forEach((row, i) => {
    if (!isRecord(row) || typeof row.repository !== "string" || !isRecord(row.user) || !isRecord(row.listen)) {
      throw new InputError("an image row needs repository, user and listen", { file, path: `images[${i}]` });
    }
  });
  return doc as unknown as AppData;
}
