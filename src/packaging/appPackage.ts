/**
 * The Teams app package: appPackage/manifest.json plus its two icons, zipped
 * at the zip's root, after checking them the way Teams would on upload.
 *
 * The committed manifest is itself valid (it carries a demo GUID), so it can
 * be validated as it is; packaging only sets the ids and the bot's domain.
 */
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { PNG, type PNGWithMetadata } from 'pngjs';
import { projectRoot } from '../shared/projectRoot';

export { DEMO_APP_ID } from './demoAppId';

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
/** A host name, optionally with a leading wildcard label or a port; no scheme, no path. */
const DOMAIN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;
const TEAMS_SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/(v1\.\d+)\/MicrosoftTeams\.schema\.json$/;

/** The parts of a Teams manifest this module reads or sets; everything else passes through untouched. */
export interface TeamsManifest {
  $schema?: string;
  id: string;
  icons: { color: string; outline: string };
  bots?: Array<{ botId: string; [property: string]: unknown }>;
  validDomains?: string[];
  [property: string]: unknown;
}

export interface BuildAppPackageOptions {
  /** The Azure Bot's app registration (client) id; also used as the Teams app id. */
  appId: string;
  /** The host name the bot is reached at (e.g. helpdesk-bot.contoso.com); goes into validDomains. */
  botDomain?: string;
  outFile: string;
  /** Where manifest.json and the icons are read from (default: the project's appPackage/). */
  sourceDir?: string;
}

export class AppPackageError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
    /** `input`: a bad app id or domain was given; `package`: the manifest or an icon is not valid. */
    readonly kind: 'input' | 'package' = 'package',
  ) {
    super(problems.length > 0 ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
    this.name = 'AppPackageError';
  }
}

export function defaultAppPackageDir(): string {
  return path.join(projectRoot(), 'appPackage');
}

export function defaultPackageFile(): string {
  return path.join(defaultAppPackageDir(), 'build', 'passkey-helpdesk.zip');
}

export function readManifest(sourceDir: string = defaultAppPackageDir()): TeamsManifest {
  const file = path.join(sourceDir, 'manifest.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as TeamsManifest;
  } catch (error) {
    throw new AppPackageError(`Cannot read ${file}`, [(error as Error).message]);
  }
}

/** The manifest with the given app/bot id and bot domain; the input is not changed. */
export function manifestFor(template: TeamsManifest, appId: string, botDomain?: string): TeamsManifest {
  const manifest = structuredClone(template);
  manifest.id = appId;
  for (const bot of manifest.bots ?? []) bot.botId = appId;
  if (botDomain) manifest.validDomains = [botDomain];
  return manifest;
}

/**
 * Validates against the official Teams JSON schema shipped in @microsoft/app-manifest.
 * The schema is loaded from disk and handed over, so validation never goes to the network.
 * Returns the problems found (empty when valid).
 */
export async function validateManifest(manifest: TeamsManifest): Promise<string[]> {
  const version = TEAMS_SCHEMA_URL.exec(manifest.$schema ?? '')?.[1];
  if (!version) {
    return [`$schema must be https://developer.microsoft.com/json-schemas/teams/v1.<n>/MicrosoftTeams.schema.json (found ${JSON.stringify(manifest.$schema)})`];
  }
  const schemaFile = path.join(
    path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
    'build',
    'json-schemas',
    'teams',
    version,
    'MicrosoftTeams.schema.json',
  );
  if (!fs.existsSync(schemaFile)) return [`$schema names Teams manifest ${version}, which @microsoft/app-manifest does not ship`];
  // A development tool (devDependency): loaded only when a package is built or checked.
  const { AppManifestUtils } = await import('@microsoft/app-manifest');
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
  return AppManifestUtils.validateAgainstSchema(manifest as never, schema);
}

function readPng(file: string, problems: string[]): PNGWithMetadata | undefined {
  if (!fs.existsSync(file)) {
    problems.push(`${path.basename(file)} is missing`);
    return undefined;
  }
  try {
    return PNG.sync.read(fs.readFileSync(file));
  } catch (error) {
    problems.push(`${path.basename(file)} is not a readable PNG: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Checks the icons as Teams requires them: color.png 192×192; outline.png 32×32,
 * white on a transparent background (every pixel either fully transparent or white).
 * Returns the problems found (empty when fine).
 */
export function checkIcons(dir: string, icons: { color: string; outline: string } = { color: 'color.png', outline: 'outline.png' }): string[] {
  const problems: string[] = [];
  const color = readPng(path.join(dir, icons.color), problems);
  if (color && (color.width !== 192 || color.height !== 192)) {
    problems.push(`${icons.color} must be 192×192 pixels (found ${color.width}×${color.height})`);
  }
  const outline = readPng(path.join(dir, icons.outline), problems);
  if (outline) {
    if (outline.width !== 32 || outline.height !== 32) {
      problems.push(`${icons.outline} must be 32×32 pixels (found ${outline.width}×${outline.height})`);
    }
    if (!outline.alpha) {
      problems.push(`${icons.outline} must have an alpha channel (transparent background)`);
    } else {
      let transparent = 0;
      let drawn = 0;
      let coloured = 0;
      for (let offset = 0; offset < outline.data.length; offset += 4) {
        const alpha = outline.data[offset + 3];
        if (alpha === 0) {
          transparent++;
          continue;
        }
        drawn++;
        const isWhite = outline.data[offset] === 255 && outline.data[offset + 1] === 255 && outline.data[offset + 2] === 255;
        if (!isWhite) coloured++;
      }
      if (coloured > 0) problems.push(`${icons.outline} must be white on transparent: ${coloured} visible pixels are not white`);
      if (transparent === 0) problems.push(`${icons.outline} must have a transparent background: no pixel is transparent`);
      if (drawn === 0) problems.push(`${icons.outline} is empty: every pixel is transparent`);
    }
  }
  return problems;
}

/** Validates, then writes the zip (manifest.json, color.png, outline.png at its root). Throws AppPackageError listing every problem. */
export async function buildAppPackage(options: BuildAppPackageOptions): Promise<{ outFile: string; manifest: TeamsManifest }> {
  const sourceDir = options.sourceDir ?? defaultAppPackageDir();
  const inputProblems: string[] = [];
  if (!GUID.test(options.appId)) inputProblems.push(`the app id must be a GUID (the Azure Bot's MicrosoftAppId), got ${JSON.stringify(options.appId)}`);
  if (options.botDomain !== undefined && !DOMAIN.test(options.botDomain)) {
    inputProblems.push(`the bot domain must be a host name such as helpdesk-bot.contoso.com, without https:// or a path; got ${JSON.stringify(options.botDomain)}`);
  }
  if (inputProblems.length > 0) throw new AppPackageError('Cannot build the Teams app package', inputProblems, 'input');

  const manifest = manifestFor(readManifest(sourceDir), options.appId, options.botDomain);
  const problems = [...(await validateManifest(manifest)), ...checkIcons(sourceDir, manifest.icons)];
  if (problems.length > 0) throw new AppPackageError('The Teams app package is not valid', problems);

  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  zip.addFile(manifest.icons.color, fs.readFileSync(path.join(sourceDir, manifest.icons.color)));
  zip.addFile(manifest.icons.outline, fs.readFileSync(path.join(sourceDir, manifest.icons.outline)));
  fs.mkdirSync(path.dirname(options.outFile), { recursive: true });
  zip.writeZip(options.outFile);
  return { outFile: options.outFile, manifest };
}
