/**
 * `passkey-helpdesk package` / `npm run package`: writes the Teams app package zip.
 *
 *   --app-id <guid>    the Azure Bot's app id (default: MicrosoftAppId; without it, a demo package)
 *   --domain <host>    the bot's host name for validDomains (default: BOT_DOMAIN)
 *   --out <file>       where to write the zip (default: appPackage/build/passkey-helpdesk.zip)
 *
 * Exit codes: 0 written, 1 the package is not valid, 2 bad arguments.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/config';
import { AppPackageError, buildAppPackage, DEMO_APP_ID, defaultPackageFile } from './appPackage';

export { AppPackageError, buildAppPackage, checkIcons, DEMO_APP_ID, manifestFor, readManifest, validateManifest } from './appPackage';
export type { BuildAppPackageOptions, TeamsManifest } from './appPackage';

/** Structurally the CLI's CliIo, so the command can be registered as it is. */
export interface PackageCommandIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function runPackageCommand(argv: string[], io: PackageCommandIo): Promise<number> {
  let values: { 'app-id'?: string; domain?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'app-id': { type: 'string' }, domain: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`passkey-helpdesk package: ${(error as Error).message}\n`);
    return 2;
  }
  const env = readEnvironment(io.cwd, io.env);
  const configuredAppId = values['app-id'] ?? env.MicrosoftAppId?.trim();
  const appId = configuredAppId || DEMO_APP_ID;
  const botDomain = values.domain ?? (env.BOT_DOMAIN?.trim() || undefined);
  const outFile = values.out ? path.resolve(io.cwd, values.out) : defaultPackageFile();

  try {
    await buildAppPackage({ appId, botDomain, outFile });
  } catch (error) {
    if (!(error instanceof AppPackageError)) throw error;
    io.stderr.write(`passkey-helpdesk package: ${error.message}\n`);
    // Bad input is a usage problem (2); an invalid manifest or icon is a failed build (1).
    return error.kind === 'input' ? 2 : 1;
  }
  io.stdout.write(`${outFile}\n`);
  if (!configuredAppId) {
    io.stderr.write(
      `Note: MicrosoftAppId is not set, so this is a demo package (app id ${DEMO_APP_ID}). ` +
        'For upload to Teams, set MicrosoftAppId (and BOT_DOMAIN) or pass --app-id and --domain.\n',
    );
  }
  return 0;
}
