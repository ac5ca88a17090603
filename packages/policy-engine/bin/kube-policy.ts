#!/usr/bin/env node
// kube-policy PATH...: the policy engine's command line (see ../README.md).
import { main } from "../src/cli.ts";
const fs = process.getBuiltinModule("node:fs");

process.exitCode = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => fs.readFileSync(0, "utf8"),
  colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
});
