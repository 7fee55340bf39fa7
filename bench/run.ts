/**
 * `npm run bench`: runs every bench/*.bench.ts in its own Node process (so peak
 * memory is that benchmark's alone), prints the figures and records them in
 * docs/benchmarks.md. A benchmark prints lines `BENCH_RESULT {"name", "metrics", "notes"?}`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface BenchResult {
  name: string;
  metrics: Record<string, string | number>;
  notes?: string;
}

const benchDir = __dirname;
const only = process.argv.slice(2);
const files = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results: BenchResult[] = [];
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, file)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: process.env });
  process.stdout.write(run.stdout.split('\n').filter((l) => !l.startsWith('BENCH_RESULT ')).join('\n'));
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    throw new Error(`${file} failed with exit code ${run.status}`);
  }
  for (const line of run.stdout.split('\n')) {
    if (!line.startsWith('BENCH_RESULT ')) continue;
    const result = JSON.parse(line.slice('BENCH_RESULT '.length)) as BenchResult;
    results.push(result);
    process.stdout.write(`${result.name}: ${Object.entries(result.metrics).map(([k, v]) => `${k}=${v}`).join(', ')}\n`);
  }
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const section = [
  `## Latest run`,
  '',
  `${new Date().toISOString()} on ${machine}.`,
  '',
  ...results.flatMap((r) => [
    `### ${r.name}`,
    '',
    '| metric | value |',
    '|---|---|',
    ...Object.entries(r.metrics).map(([k, v]) => `| ${k} | ${v} |`),
    ...(r.notes ? ['', r.notes] : []),
    '',
  ]),
].join('\n');

const docFile = path.resolve(benchDir, '../docs/benchmarks.md');
const intro = fs.existsSync(docFile) ? fs.readFileSync(docFile, 'utf8').split('## Latest run')[0] : '# Benchmarks\n\n`npm run bench` runs `bench/*.bench.ts`, each in its own process, and rewrites the section below.\n\n';
if (only.length === 0) fs.writeFileSync(docFile, `${intro.trimEnd()}\n\n${section}`);
process.stdout.write(only.length === 0 ? `\nRecorded in ${path.relative(process.cwd(), docFile)}\n` : '\n(partial run: docs/benchmarks.md not rewritten)\n');
