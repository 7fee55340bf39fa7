/**
 * Diagnosis latency and Graph round trips against the demo tenant over
 * loopback HTTP: warm (tenant policy cached), cold (policy read again, as
 * "Check again" does), the same with 25 ms of added Graph latency (the two
 * reads of a cold diagnosis run in parallel), and the pure engine alone.
 * Prints `BENCH_RESULT` lines for bench/run.ts.
 */
import { performance } from 'node:perf_hooks';
import { runDiagnosis } from '../src/features/diagnosis/app/run';
import { diagnose } from '../src/features/diagnosis/domain';
import { createDemoTenant, defaultFixturePath, loadFixture, type DemoTenant } from '../src/demoTenant';
import { createGraphCredential, createGraphPort, type GraphPort } from '../src/graph';
import { listenHttp } from '../src/server';

const WARM_RUNS = 300;
const COLD_RUNS = 150;
const LATENCY_RUNS = 60;
const ENGINE_RUNS = 2000;
const ADDED_LATENCY_MS = 25;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples: number[]): Record<string, number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50_ms: round(percentile(sorted, 50)), p95_ms: round(percentile(sorted, 95)), p99_ms: round(percentile(sorted, 99)), max_ms: round(sorted[sorted.length - 1] ?? 0) };
}

function emit(name: string, metrics: Record<string, string | number>, notes?: string): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ name, metrics, ...(notes ? { notes } : {}) })}\n`);
}

async function measure(demo: DemoTenant, graph: GraphPort, userIds: string[], runs: number, fresh: boolean) {
  const latencies: number[] = [];
  const roundTrips: number[] = [];
  for (let i = 0; i < runs; i++) {
    const userId = userIds[i % userIds.length];
    demo.resetStats();
    const started = performance.now();
    await runDiagnosis(graph, userId, { fresh });
    latencies.push(performance.now() - started);
    roundTrips.push(demo.stats.requests);
  }
  return { latencies, roundTrips };
}

async function main(): Promise<void> {
  const fixture = loadFixture(defaultFixturePath());
  const demo = createDemoTenant(fixture);
  const listening = await listenHttp(demo.listener, '127.0.0.1', 0);
  const graph = createGraphPort({ baseUrl: `${listening.url}/v1.0`, credential: createGraphCredential({ kind: 'demo' }), tenantId: demo.tenantId, tenantCacheTtlMs: 60 * 60 * 1000 });
  // Members by object id, as the bot reads them (a guest looked up by home e-mail costs extra reads).
  const userIds = fixture.users.map((u: { id?: string }) => u.id as string);
  try {
    // Warm-up: JIT, keep-alive sockets, the policy cache.
    for (const id of userIds) await runDiagnosis(graph, id);

    const warm = await measure(demo, graph, userIds, WARM_RUNS, false);
    const cold = await measure(demo, graph, userIds, COLD_RUNS, true);
    const max = (xs: number[]) => Math.max(...xs);
    const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
    emit(
      'diagnosis (Graph + engine, demo tenant on loopback)',
      {
        users: userIds.length,
        warm_runs: WARM_RUNS,
        warm_round_trips_max: max(warm.roundTrips),
        warm_round_trips_mean: mean(warm.roundTrips),
        ...Object.fromEntries(Object.entries(summary(warm.latencies)).map(([k, v]) => [`warm_${k}`, v])),
        cold_runs: COLD_RUNS,
        cold_round_trips_max: max(cold.roundTrips),
        cold_round_trips_mean: mean(cold.roundTrips),
        ...Object.fromEntries(Object.entries(summary(cold.latencies)).map(([k, v]) => [`cold_${k}`, v])),
      },
      'Warm = tenant policy cached (one $batch per diagnosis); cold = policy read again in parallel ("Check again": the $batch plus the policy $batch). Round trips are HTTP requests counted by the demo tenant.',
    );

    demo.setFaults({ latencyMs: ADDED_LATENCY_MS });
    const slowWarm = await measure(demo, graph, userIds, LATENCY_RUNS, false);
    const slowCold = await measure(demo, graph, userIds, LATENCY_RUNS, true);
    demo.setFaults({});
    emit(
      `diagnosis with ${ADDED_LATENCY_MS} ms Graph latency`,
      {
        runs_each: LATENCY_RUNS,
        ...Object.fromEntries(Object.entries(summary(slowWarm.latencies)).map(([k, v]) => [`warm_${k}`, v])),
        ...Object.fromEntries(Object.entries(summary(slowCold.latencies)).map(([k, v]) => [`cold_${k}`, v])),
      },
      'Each request waits the added latency; a cold diagnosis reads the person and the policy in parallel, so it costs about one latency, not two.',
    );

    // The engine alone, on facts already read: rules plus the "would an answer change anything" probe.
    const facts = await Promise.all(userIds.map(async (id) => ({ user: await graph.loadUserFacts(id), tenant: await graph.loadTenantFacts() })));
    const engine: number[] = [];
    for (let i = 0; i < ENGINE_RUNS; i++) {
      const { user, tenant } = facts[i % facts.length];
      const started = performance.now();
      diagnose({ user, tenant, answers: {}, now: new Date() });
      engine.push(performance.now() - started);
    }
    emit('diagnosis engine only (rules + open questions, no answers)', { runs: ENGINE_RUNS, ...summary(engine) });
  } finally {
    await listening.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
