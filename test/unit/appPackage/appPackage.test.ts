import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import AdmZip from 'adm-zip';
import { PNG } from 'pngjs';
import {
  AppPackageError,
  buildAppPackage,
  checkIcons,
  DEMO_APP_ID,
  manifestFor,
  readManifest,
  runPackageCommand,
  validateManifest,
  type TeamsManifest,
} from '../../../src/packaging';

const APP_ID = '6f1c2b7e-3a4d-4e5f-9a8b-1c2d3e4f5a6b';
const appPackageDir = path.resolve(__dirname, '..', '..', '..', 'appPackage');

const tempDirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-package-'));
  tempDirs.push(dir);
  return dir;
}

function writePng(file: string, width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): void {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      png.data.set(pixel(x, y), (y * width + x) * 4);
    }
  }
  fs.writeFileSync(file, PNG.sync.write(png));
}

/** A copy of appPackage/ whose icons the test may spoil. */
function copyOfAppPackage(): string {
  const dir = tempDir();
  for (const name of ['manifest.json', 'color.png', 'outline.png']) fs.copyFileSync(path.join(appPackageDir, name), path.join(dir, name));
  return dir;
}

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('Teams app package', () => {
  after(() => {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('the committed manifest', () => {
    const manifest = readManifest(appPackageDir);

    it('is valid against the official Teams schema shipped in @microsoft/app-manifest (offline)', async () => {
      assert.deepEqual(await validateManifest(manifest), []);
    });

    it('names the official developer.microsoft.com schema URL of its manifestVersion (1.30)', () => {
      assert.equal(manifest.manifestVersion, '1.30');
      assert.equal(manifest.$schema, 'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json');
    });

    it('declares one bot in the personal, team and groupChat scopes that does not take files', () => {
      assert.equal(manifest.bots?.length, 1);
      const bot = manifest.bots![0];
      assert.deepEqual([...(bot.scopes as string[])].sort(), ['groupChat', 'personal', 'team']);
      assert.equal(bot.supportsFiles, false);
    });

    it('lists help, diagnose, tap and status for every scope, and report in the team scope, each with a description', () => {
      const lists = manifest.bots![0].commandLists as Array<{ scopes: string[]; commands: Array<{ title: string; description?: string }> }>;
      const titlesByScope = new Map(lists.flatMap((list) => list.scopes.map((scope) => [scope, list.commands.map((command) => command.title)] as const)));
      assert.deepEqual(titlesByScope.get('personal'), ['help', 'diagnose', 'tap', 'status']);
      assert.deepEqual(titlesByScope.get('groupChat'), ['help', 'diagnose', 'tap', 'status']);
      assert.deepEqual(titlesByScope.get('team'), ['help', 'diagnose', 'tap', 'status', 'report']);
      for (const command of lists.flatMap((list) => list.commands)) {
        assert.ok(command.description && command.description.length <= 128, `command ${command.title} needs a description of at most 128 characters`);
        assert.ok(command.title.length <= 32, `command title ${command.title} is at most 32 characters`);
      }
    });

    it('carries the demo app id for both the app and the bot', () => {
      assert.equal(manifest.id, DEMO_APP_ID);
      assert.equal(manifest.bots![0].botId, DEMO_APP_ID);
    });
  });

  describe('validateManifest', () => {
    it('reports a manifest that breaks the schema', async () => {
      const manifest = { ...readManifest(appPackageDir), id: 'not-a-guid' };
      const problems = await validateManifest(manifest);
      assert.ok(problems.some((problem) => problem.startsWith('/id ')), problems.join('\n'));
    });

    it('refuses a $schema it cannot check offline instead of fetching it', async () => {
      const manifest = { ...readManifest(appPackageDir), $schema: 'https://example.com/schema.json' };
      const problems = await validateManifest(manifest);
      assert.equal(problems.length, 1);
      assert.match(problems[0], /\$schema must be https:\/\/developer\.microsoft\.com/);
    });
  });

  describe('checkIcons', () => {
    it('accepts the committed icons: color.png 192×192, outline.png 32×32 white on transparent', () => {
      assert.deepEqual(checkIcons(appPackageDir), []);
      const color = PNG.sync.read(fs.readFileSync(path.join(appPackageDir, 'color.png')));
      const outline = PNG.sync.read(fs.readFileSync(path.join(appPackageDir, 'outline.png')));
      assert.deepEqual([color.width, color.height], [192, 192]);
      assert.deepEqual([outline.width, outline.height], [32, 32]);
      assert.equal(outline.alpha, true);
    });

    it('reports icons of the wrong size', () => {
      const dir = copyOfAppPackage();
      writePng(path.join(dir, 'color.png'), 96, 96, () => [0, 0, 255, 255]);
      writePng(path.join(dir, 'outline.png'), 48, 48, (x) => (x < 10 ? [255, 255, 255, 255] : [0, 0, 0, 0]));
      const problems = checkIcons(dir);
      assert.ok(problems.some((problem) => problem.includes('color.png must be 192×192 pixels (found 96×96)')), problems.join('\n'));
      assert.ok(problems.some((problem) => problem.includes('outline.png must be 32×32 pixels (found 48×48)')), problems.join('\n'));
    });

    it('reports an outline icon with coloured pixels', () => {
      const dir = copyOfAppPackage();
      writePng(path.join(dir, 'outline.png'), 32, 32, (x) => (x < 10 ? [255, 0, 0, 255] : [0, 0, 0, 0]));
      assert.ok(checkIcons(dir).some((problem) => problem.includes('must be white on transparent')));
    });

    it('reports an outline icon without a transparent background', () => {
      const dir = copyOfAppPackage();
      writePng(path.join(dir, 'outline.png'), 32, 32, () => [255, 255, 255, 255]);
      assert.ok(checkIcons(dir).some((problem) => problem.includes('no pixel is transparent')));
    });

    it('reports a missing icon', () => {
      const dir = copyOfAppPackage();
      fs.rmSync(path.join(dir, 'color.png'));
      assert.deepEqual(checkIcons(dir), ['color.png is missing']);
    });
  });

  describe('manifestFor', () => {
    it('sets the app id, the bot id and validDomains without changing the template', () => {
      const template = readManifest(appPackageDir);
      const manifest = manifestFor(template, APP_ID, 'helpdesk-bot.contoso.com');
      assert.equal(manifest.id, APP_ID);
      assert.equal(manifest.bots![0].botId, APP_ID);
      assert.deepEqual(manifest.validDomains, ['helpdesk-bot.contoso.com']);
      assert.equal(template.id, DEMO_APP_ID);
    });
  });

  describe('buildAppPackage', () => {
    it('writes a zip with manifest.json, color.png and outline.png at its root, ids substituted', async () => {
      const outFile = path.join(tempDir(), 'nested', 'package.zip');
      await buildAppPackage({ appId: APP_ID, botDomain: 'helpdesk-bot.contoso.com', outFile });
      const zip = new AdmZip(outFile);
      assert.deepEqual(zip.getEntries().map((entry) => entry.entryName).sort(), ['color.png', 'manifest.json', 'outline.png']);
      const manifest = JSON.parse(zip.readAsText('manifest.json')) as TeamsManifest;
      assert.equal(manifest.id, APP_ID);
      assert.equal(manifest.bots![0].botId, APP_ID);
      assert.deepEqual(manifest.validDomains, ['helpdesk-bot.contoso.com']);
      assert.deepEqual(await validateManifest(manifest), []);
      assert.deepEqual(zip.readFile('outline.png'), fs.readFileSync(path.join(appPackageDir, 'outline.png')));
    });

    it('refuses an app id that is not a GUID and a domain with a scheme, naming both', async () => {
      const outFile = path.join(tempDir(), 'package.zip');
      await assert.rejects(buildAppPackage({ appId: 'my-bot', botDomain: 'https://bot.contoso.com', outFile }), (error: unknown) => {
        assert.ok(error instanceof AppPackageError);
        assert.equal(error.kind, 'input');
        assert.match(error.message, /app id must be a GUID/);
        assert.match(error.message, /without https:\/\//);
        return true;
      });
      assert.equal(fs.existsSync(outFile), false);
    });

    it('writes nothing when an icon is invalid', async () => {
      const dir = copyOfAppPackage();
      writePng(path.join(dir, 'outline.png'), 32, 32, () => [0, 128, 0, 255]);
      const outFile = path.join(tempDir(), 'package.zip');
      await assert.rejects(buildAppPackage({ appId: APP_ID, outFile, sourceDir: dir }), /outline\.png must be white on transparent/);
      assert.equal(fs.existsSync(outFile), false);
    });
  });

  describe('runPackageCommand', () => {
    it('uses MicrosoftAppId and BOT_DOMAIN from the environment and prints the zip path', async () => {
      const cwd = tempDir();
      const stdout = capture();
      const stderr = capture();
      const code = await runPackageCommand(['--out', 'out.zip'], {
        env: { MicrosoftAppId: APP_ID, BOT_DOMAIN: 'helpdesk-bot.contoso.com' },
        cwd,
        stdout: stdout.stream,
        stderr: stderr.stream,
      });
      assert.equal(code, 0, stderr.text());
      assert.equal(stdout.text(), `${path.join(cwd, 'out.zip')}\n`);
      const manifest = JSON.parse(new AdmZip(path.join(cwd, 'out.zip')).readAsText('manifest.json')) as TeamsManifest;
      assert.equal(manifest.id, APP_ID);
      assert.deepEqual(manifest.validDomains, ['helpdesk-bot.contoso.com']);
    });

    it('writes a demo package with the demo app id, and says so, when MicrosoftAppId is not set', async () => {
      const cwd = tempDir();
      const stderr = capture();
      const code = await runPackageCommand(['--out', 'demo.zip'], { env: {}, cwd, stdout: capture().stream, stderr: stderr.stream });
      assert.equal(code, 0);
      assert.match(stderr.text(), /demo package/);
      const manifest = JSON.parse(new AdmZip(path.join(cwd, 'demo.zip')).readAsText('manifest.json')) as TeamsManifest;
      assert.equal(manifest.id, DEMO_APP_ID);
    });

    it('exits with 2 on an unknown flag or a bad app id', async () => {
      const io = { env: {}, cwd: tempDir(), stdout: capture().stream, stderr: capture().stream };
      assert.equal(await runPackageCommand(['--nope'], io), 2);
      assert.equal(await runPackageCommand(['--app-id', 'nope', '--out', 'x.zip'], io), 2);
    });
  });
});
