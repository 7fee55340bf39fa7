/**
 * Turn cost, side by side: the product against a bare teams-ai echo bot on the
 * same botbuilder / teams-ai / restify versions (bench/turnCost/echoBot.ts), each
 * in its own process, HTTP in and the reply at one connector stand-in (the reply
 * is sent before the HTTP answer, so a POST's time is the whole turn). The demo
 * tenant runs in a third process. Requests alternate between the two bots so both
 * see the same machine load. Prints `BENCH_RESULT` lines for bench/run.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { message, type ActivityContext, type Person } from '../test/support/activities';
import { ConnectorStandIn } from '../test/support/connector';
import { defaultFixturePath, loadFixture } from '../src/demoTenant';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 400);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 800);
const PARALLEL = 8;
const RSS_TURNS = 5000;
const DIAGNOSE = Number(process.env.BENCH_DIAGNOSE ?? 150);

interface Started {
  child: ChildProcess;
  url: string;
  pid: number;
}

function start(script: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF && script.includes('product') ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), path.join(__dirname, 'turnCost', script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve({ child, ...(JSON.parse(line.slice(6)) as Omit<Started, 'child'>) });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

interface Figures {
  p50: number;
  p99: number;
  perSecond: number;
}

function figures(latencies: number[], elapsedMs: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), perSecond: Math.round((latencies.length / elapsedMs) * 1000) };
}

async function turn(url: string, activity: unknown): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`turn answered ${response.status}`);
  return performance.now() - started;
}

function emit(name: string, metrics: Record<string, string | number>, notes?: string): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ name, metrics, ...(notes ? { notes } : {}) })}\n`);
}

async function main(): Promise<void> {
  const fixture = loadFixture(defaultFixturePath());
  const connector = await new ConnectorStandIn().start();
  const demo = await start('demoTenant.ts');
  const [echo, product] = await Promise.all([start('echoBot.ts'), start('product.ts', { DEMO_TENANT_URL: demo.url })]);
  const children = [demo, echo, product];
  try {
    const ctx: ActivityContext = { serviceUrl: connector.serviceUrl, tenantId: fixture.tenant.id };
    const people: Person[] = fixture.users.slice(0, 12).map((u) => ({ aadObjectId: u.id, name: u.displayName ?? '' }));
    const help = (i: number) => message(ctx, people[i % people.length], 'help');
    const bots = { echo, product };
    const idle = { echo: rssMb(echo.pid), product: rssMb(product.pid) };
    const turns = { echo: 0, product: 0 };

    // Warm-up (JIT, sockets, caches).
    for (let i = 0; i < 100; i++) for (const name of ['echo', 'product'] as const) await turn(bots[name].url, help(i)), turns[name]++;
    connector.clear();

    // Sequential: one turn at a time, alternating bots.
    const seq = { echo: [] as number[], product: [] as number[] };
    const seqTime = { echo: 0, product: 0 };
    for (let i = 0; i < SEQUENTIAL; i++) {
      for (const name of ['echo', 'product'] as const) {
        const ms = await turn(bots[name].url, help(i));
        seq[name].push(ms);
        seqTime[name] += ms;
        turns[name]++;
      }
    }
    connector.clear();

    // Concurrent: 8 in flight, in alternating rounds of 100 turns.
    const conc = { echo: [] as number[], product: [] as number[] };
    const concTime = { echo: 0, product: 0 };
    const round = async (name: 'echo' | 'product', count: number) => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < count) {
            const i = next++;
            conc[name].push(await turn(bots[name].url, help(i)));
            turns[name]++;
          }
        }),
      );
      concTime[name] += performance.now() - started;
    };
    for (let done = 0; done < CONCURRENT; done += 100) {
      await round('echo', 100);
      await round('product', 100);
      connector.clear();
    }

    // Diagnose (product only; the demo tenant is another process).
    const diag: number[] = [];
    const diagStarted = performance.now();
    for (let i = 0; i < DIAGNOSE; i++) {
      diag.push(await turn(product.url, message(ctx, people[i % people.length], 'diagnose')));
      turns.product++;
    }
    const diagElapsed = performance.now() - diagStarted;
    connector.clear();

    // Up to 5,000 turns each, then RSS.
    for (const name of ['echo', 'product'] as const) {
      while (turns[name] < RSS_TURNS) {
        await Promise.all(Array.from({ length: PARALLEL }, (_, k) => turn(bots[name].url, help(turns[name] + k))));
        turns[name] += PARALLEL;
        if (turns[name] % 800 === 0) connector.clear();
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    const after = { echo: rssMb(echo.pid), product: rssMb(product.pid) };

    const s = { echo: figures(seq.echo, seqTime.echo), product: figures(seq.product, seqTime.product) };
    const c = { echo: figures(conc.echo, concTime.echo), product: figures(conc.product, concTime.product) };
    const d = figures(diag, diagElapsed);
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    emit('Turn cost: "help", sequential (product vs bare teams-ai echo bot)', {
      product_p50_ms: s.product.p50, echo_p50_ms: s.echo.p50, ratio_p50: ratio(s.product.p50, s.echo.p50),
      product_p99_ms: s.product.p99, echo_p99_ms: s.echo.p99, ratio_p99: ratio(s.product.p99, s.echo.p99),
      product_turns_per_s: s.product.perSecond, echo_turns_per_s: s.echo.perSecond, ratio_throughput: ratio(s.product.perSecond, s.echo.perSecond),
    }, `${SEQUENTIAL} turns each, alternating bots, after 100 warm-up turns each.`);
    emit('Turn cost: "help", 8 concurrent (product vs bare teams-ai echo bot)', {
      product_p50_ms: c.product.p50, echo_p50_ms: c.echo.p50, ratio_p50: ratio(c.product.p50, c.echo.p50),
      product_p99_ms: c.product.p99, echo_p99_ms: c.echo.p99, ratio_p99: ratio(c.product.p99, c.echo.p99),
      product_turns_per_s: c.product.perSecond, echo_turns_per_s: c.echo.perSecond, ratio_throughput: ratio(c.product.perSecond, c.echo.perSecond),
    }, `${CONCURRENT} turns each in alternating rounds of 100, 8 in flight.`);
    emit('Turn cost: a diagnose turn (demo tenant in another process)', { p50_ms: d.p50, p99_ms: d.p99, turns_per_s: d.perSecond }, `${DIAGNOSE} sequential "diagnose" messages from 12 people.`);
    emit('Memory (RSS)', {
      product_idle_mb: idle.product, echo_idle_mb: idle.echo,
      product_after_5000_turns_mb: after.product, echo_after_5000_turns_mb: after.echo, ratio_after: ratio(after.product, after.echo),
    });
  } finally {
    for (const c of children) c.child.kill('SIGTERM');
    await connector.stop();
  }
}

void main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
