#!/usr/bin/env node
// kubeconform-node: kubeconform's command line, same flags, outputs and exit codes.
import { main } from "../src/cli.ts";

process.exitCode = await main(process.argv.slice(2));
