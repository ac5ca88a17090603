#!/usr/bin/env node
// kubeconform-node: kubeconform's command line, same flags, outputs and exit codes.
// Node's module compile cache first: it covers the modules loaded after it.
import module from "node:module";

module.enableCompileCache?.();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
