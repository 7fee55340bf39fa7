#!/usr/bin/env node
/**
 * `passkey-helpdesk <command>`: the product's command line (a public contract,
 * docs/cli.md). Exit codes: 0 ok, 1 failure, 2 bad arguments or configuration.
 */
import './quietWarnings';
import { runCommand } from './commands';

runCommand(process.argv.slice(2), { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr })
  .then((code) => {
    if (code !== undefined) process.exitCode = code;
  })
  .catch((error: Error) => {
    process.stderr.write(`passkey-helpdesk: ${error.message}\n`);
    process.exitCode = 1;
  });
