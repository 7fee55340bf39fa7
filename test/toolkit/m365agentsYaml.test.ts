/**
 * The Agents Toolkit project checked offline against the official schemas that
 * @microsoft/m365agentstoolkit-cli ships. The CLI (~450 MB) is a CI tool, not a product dependency:
 * `npm ci --prefix .ci/tools/atk --ignore-scripts` installs it (.ci/run does), `npm run test:toolkit` runs this.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TOOLS = path.join(ROOT, '.ci/tools/atk');

function tools(): { Ajv: new (options: Record<string, unknown>) => { compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown[] | null } }; parseYaml: (text: string) => unknown; schemaPath: (version: string) => string } {
  if (!fs.existsSync(path.join(TOOLS, 'node_modules/@microsoft/m365agentstoolkit-cli/package.json'))) {
    throw new Error('the toolkit is not installed: run `npm ci --prefix .ci/tools/atk --ignore-scripts --no-audit --no-fund`');
  }
  const requireTool = createRequire(path.join(TOOLS, 'package.json'));
  const ajvModule = requireTool('ajv') as { default: never };
  const cli = path.dirname(requireTool.resolve('@microsoft/m365agentstoolkit-cli/package.json'));
  return {
    Ajv: ajvModule.default,
    parseYaml: (requireTool('yaml') as { parse(text: string): unknown }).parse,
    schemaPath: (version) => path.join(cli, 'resource/yaml-schema', version, 'yaml.schema.json'),
  };
}

const projectFiles = () => fs.readdirSync(ROOT).filter((name) => /^m365agents(\.[a-z]+)?\.yml$/.test(name)).sort();

function validate(document: Record<string, unknown>): string[] {
  const { Ajv, schemaPath } = tools();
  const file = schemaPath(String(document.version));
  assert.ok(fs.existsSync(file), `the toolkit ships a schema for ${String(document.version)}`);
  const check = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(file, 'utf8')));
  return check(document) ? [] : (check.errors ?? []).map((e) => JSON.stringify(e));
}

describe('Agents Toolkit project (m365agents*.yml, env/, infra/)', () => {
  it('has the Azure, local and Playground project files', () => {
    assert.deepEqual(projectFiles(), ['m365agents.local.yml', 'm365agents.playground.yml', 'm365agents.yml']);
  });

  for (const name of ['m365agents.yml', 'm365agents.local.yml', 'm365agents.playground.yml']) {
    it(`${name} is valid against the toolkit's official YAML schema of its version`, () => {
      const document = tools().parseYaml(fs.readFileSync(path.join(ROOT, name), 'utf8')) as Record<string, unknown>;
      assert.match(String(document.version), /^v1\.\d+$/);
      assert.deepEqual(validate(document), []);
    });
  }

  it('the schema check catches a mistake (an unknown action)', () => {
    const document = tools().parseYaml(fs.readFileSync(path.join(ROOT, 'm365agents.yml'), 'utf8')) as { provision: unknown[] };
    document.provision.push({ uses: 'nonsense/action', with: {} });
    assert.notDeepEqual(validate(document as unknown as Record<string, unknown>), []);
  });

  it('infra/azure.parameters.json names only parameters infra/azure.bicep declares, and is JSON once the toolkit fills it in', () => {
    const bicep = fs.readFileSync(path.join(ROOT, 'infra/azure.bicep'), 'utf8');
    const declared = new Set([...bicep.matchAll(/^param (\w+) /gm)].map((m) => m[1]));
    const filled = fs.readFileSync(path.join(ROOT, 'infra/azure.parameters.json'), 'utf8').replace(/\$\{\{(\w+)\}\}/g, (_m, name: string) => (name === 'INSTANCE_COUNT' ? '1' : name === 'ENABLE_POSTGRES' ? 'false' : 'x'));
    const parameters = Object.keys((JSON.parse(filled) as { parameters: Record<string, unknown> }).parameters);
    for (const name of parameters) assert.ok(declared.has(name), `${name} is a parameter of azure.bicep`);
    // Every required parameter (no default) is given.
    const required = [...bicep.matchAll(/^param (\w+) \w+\s*$/gm)].map((m) => m[1]);
    for (const name of required) assert.ok(parameters.includes(name), `${name} is given`);
  });

  it('commits no secrets: env/ templates leave every SECRET_ empty, and Azure gets no client secret', () => {
    for (const file of fs.readdirSync(path.join(ROOT, 'env'))) {
      assert.ok(!file.endsWith('.user'), `${file} is per-user and git-ignored`);
      for (const line of fs.readFileSync(path.join(ROOT, 'env', file), 'utf8').split('\n')) {
        assert.doesNotMatch(line, /^(SECRET_\w*|\w*PASSWORD\w*)=\S/, `${file}: ${line}`);
      }
    }
    const bicep = fs.readFileSync(path.join(ROOT, 'infra/azure.bicep'), 'utf8');
    assert.match(bicep, /msaAppType: 'UserAssignedMSI'/);
    assert.doesNotMatch(bicep, /MicrosoftAppPassword|clientSecret/);
  });
});
