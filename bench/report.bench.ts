/**
 * The readiness report over a generated 100,000-user tenant (issue 5: peak
 * memory under 150 MB). Three processes, so each figure is honest:
 *  - this one generates the fixture to a temp file (streamed by the demo
 *    tenant's generator) and coordinates;
 *  - a child serves it as the demo tenant (the Graph emulator on loopback),
 *    standing in for Microsoft Graph;
 *  - a child runs the report the way `passkey-helpdesk report` does
 *    (readinessPass over the Graph port: departments, then every report page
 *    through the streaming aggregator) and reports its own peak RSS.
 * The report child runs twice: --json (counts only) and --csv (every row of a
 * user who needs action formatted, to a sink that discards it).
 * The children run plain JavaScript, as the built CLI does (`npm run build`):
 * this file is bundled with esbuild (tsx's own compiler), packages left external.
 * Under tsx itself a process starts ~35 MB larger.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const USERS = Number(process.env.BENCH_REPORT_USERS ?? 100_000);
const PEAK_LIMIT_MB = 150;

interface ReportRun {
  mode: 'json' | 'csv';
  /** Peak RSS once the modules are loaded, before any work. */
  idleRssMB: number;
  durationMs: number;
  maxRssMB: number;
  heapPeakMB: number;
  pages: number;
  users: number;
  csvRows: number;
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'serve') return serve(rest[0]);
  if (mode === 'report') return report(rest[0], rest[1] as 'json' | 'csv');
  return coordinate();
}

async function coordinate(): Promise<void> {
  const { writeGeneratedFixture } = await import('../src/demoTenant');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-bench-'));
  const file = path.join(dir, 'big.json');
  let server: ChildProcess | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    await esbuild.build({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', outfile: path.join(dir, 'report.bench.js'), logLevel: 'silent' });

    const generateStart = performance.now();
    const out = fs.createWriteStream(file);
    await writeGeneratedFixture(out, { users: USERS, seed: 42 });
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const generateMs = performance.now() - generateStart;
    const fixtureMB = fs.statSync(file).size / 2 ** 20;

    const bundle = path.join(dir, 'report.bench.js');
    server = child(bundle, ['serve', file]);
    const url = await firstLine(server, 'LISTENING ');
    const json = await runReport(bundle, url, 'json');
    const csv = await runReport(bundle, url, 'csv');

    const metrics = {
      users_generated: USERS,
      users_in_report: json.users,
      idle_rss_after_imports_MB: round(json.idleRssMB),
      report_pages: json.pages,
      fixture_MB: round(fixtureMB),
      generate_s: round(generateMs / 1000),
      json_report_s: round(json.durationMs / 1000),
      json_peak_rss_MB: round(json.maxRssMB),
      json_peak_heap_MB: round(json.heapPeakMB),
      csv_report_s: round(csv.durationMs / 1000),
      csv_rows: csv.csvRows,
      csv_peak_rss_MB: round(csv.maxRssMB),
      csv_peak_heap_MB: round(csv.heapPeakMB),
      peak_rss_limit_MB: PEAK_LIMIT_MB,
      within_limit: Math.max(json.maxRssMB, csv.maxRssMB) < PEAK_LIMIT_MB ? 'yes' : 'NO',
    };
    const notes =
      'The report process alone (plain Node running the bundled JavaScript, as the built CLI does; peak RSS from process.resourceUsage().maxRSS at its end, heap sampled every 20 ms) ' +
      'against the demo tenant serving the generated fixture in another process (page size 999, as Graph allows). ' +
      'It reads /users?$select=id,department (the department breakdown), then every page of the registration report; rows are counted, never kept. ' +
      `Against Microsoft Graph the report API allows ~5 requests per 10 s, so \`report\` paces its pages 2 s apart: ${json.pages} pages take ~${Math.ceil((json.pages * 2) / 60)} min there.`;
    process.stdout.write(`BENCH_RESULT ${JSON.stringify({ name: `readiness report, ${USERS.toLocaleString('en')} users`, metrics, notes })}\n`);
    if (metrics.within_limit !== 'yes') process.exitCode = 1;
  } finally {
    server?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runReport(bundle: string, url: string, mode: 'json' | 'csv'): Promise<ReportRun> {
  const reporter = child(bundle, ['report', url, mode]);
  const line = await firstLine(reporter, 'RESULT ');
  await new Promise((resolve) => reporter.once('exit', resolve));
  return JSON.parse(line) as ReportRun;
}

/** Child: the demo tenant serving the fixture on a loopback port. */
async function serve(file: string): Promise<void> {
  const { createDemoTenant, loadFixture } = await import('../src/demoTenant');
  const { listenHttp } = await import('../src/server');
  const demo = createDemoTenant(loadFixture(file), { pageSize: 999 });
  const listening = await listenHttp(demo.listener, '127.0.0.1', 0);
  process.stdout.write(`LISTENING ${listening.url}\n`);
}

/** Child: the report, as the CLI runs it; prints its own figures. */
async function report(url: string, mode: 'json' | 'csv'): Promise<void> {
  const { createGraphCredential, createGraphPort } = await import('../src/graph');
  const { readinessPass } = await import('../src/features/status/app/reportSnapshots');
  const { csvRow } = await import('../src/features/status/domain/report');
  const graph = createGraphPort({ baseUrl: `${url}/v1.0`, credential: createGraphCredential({ kind: 'demo' }), tenantId: 'bench' });
  const idleRssMB = process.resourceUsage().maxRSS / 1024;
  let heapPeak = 0;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  let csvRows = 0;
  const started = performance.now();
  const pass = await readinessPass(graph, {
    now: () => new Date(),
    pageSize: 999,
    onRow:
      mode === 'csv'
        ? (row, department) => {
            if (csvRow(row, department) !== null) csvRows += 1;
          }
        : undefined,
  });
  const text = JSON.stringify(pass.report, null, 2);
  const durationMs = performance.now() - started;
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  const result: ReportRun = {
    mode,
    idleRssMB,
    durationMs,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    heapPeakMB: heapPeak / 2 ** 20,
    pages: pass.pages,
    users: pass.report.totals.users,
    csvRows,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  if (text.length === 0) process.exitCode = 1;
}

/** The bundle lives in a temp directory: packages resolve from the project's node_modules. */
function child(bundle: string, args: string[]): ChildProcess {
  const nodeModules = path.resolve(__dirname, '..', 'node_modules');
  return spawn(process.execPath, ['--no-deprecation', bundle, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_PATH: nodeModules } });
}

function firstLine(process: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith(prefix)) {
        lines.close();
        resolve(line.slice(prefix.length));
      }
    });
    process.once('exit', (code) => reject(new Error(`child exited (${code}) before printing ${prefix.trim()}`)));
  });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

void main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
