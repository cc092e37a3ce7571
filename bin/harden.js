#!/usr/bin/env node
// The `harden` command: a thin launcher for the compiled CLI.
require('../out/server/src/cli/main.js').main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`harden: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 2;
  },
);
