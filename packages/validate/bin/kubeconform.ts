#!/usr/bin/env -S node --max-semi-space-size=2
// kubeconform-node: kubeconform's command line, same flags, outputs and exit codes.
// A small young generation (--max-semi-space-size=2, in MB): validation allocates in short bursts,
// and V8's default lets the nursery grow to 64 MB, most of the process's peak memory.
// Node's module compile cache first: it covers the modules loaded after it.
import module from "node:module";

module.enableCompileCache?.();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
