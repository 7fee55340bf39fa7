/**
 * Fault injection: added latency, a share of 429 (with Retry-After) and a
 * share of 503, for tests and benchmarks. One random draw per request (or
 * per $batch item) decides, so an injected `random` makes it deterministic.
 */
import { FaultsSchema, type Faults } from './fixture';

export type { Faults };

export type FaultDecision = { kind: 'none' } | { kind: 'throttle'; retryAfterSeconds: number } | { kind: 'unavailable'; retryAfterSeconds: number };

export function decideFault(faults: Faults, random: () => number): FaultDecision {
  const throttleRate = faults.throttleRate ?? 0;
  const unavailableRate = faults.unavailableRate ?? 0;
  if (throttleRate === 0 && unavailableRate === 0) return { kind: 'none' };
  const draw = random();
  const retryAfterSeconds = faults.retryAfterSeconds ?? 1;
  if (draw < throttleRate) return { kind: 'throttle', retryAfterSeconds };
  if (draw < throttleRate + unavailableRate) return { kind: 'unavailable', retryAfterSeconds };
  return { kind: 'none' };
}

function numberFrom(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${text}"`);
  return value;
}

/**
 * Faults from DEMO_TENANT_LATENCY_MS, DEMO_TENANT_THROTTLE_RATE,
 * DEMO_TENANT_UNAVAILABLE_RATE and DEMO_TENANT_RETRY_AFTER_SECONDS;
 * undefined when none is set. Throws naming the variable when a value is bad.
 */
export function faultsFromEnv(env: NodeJS.ProcessEnv): Faults | undefined {
  const candidate: Faults = {
    latencyMs: numberFrom(env, 'DEMO_TENANT_LATENCY_MS'),
    throttleRate: numberFrom(env, 'DEMO_TENANT_THROTTLE_RATE'),
    unavailableRate: numberFrom(env, 'DEMO_TENANT_UNAVAILABLE_RATE'),
    retryAfterSeconds: numberFrom(env, 'DEMO_TENANT_RETRY_AFTER_SECONDS'),
  };
  const set = Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined));
  if (Object.keys(set).length === 0) return undefined;
  const result = FaultsSchema.safeParse(set);
  if (!result.success) {
    const issue = result.error.issues[0];
    const names: Record<string, string> = {
      latencyMs: 'DEMO_TENANT_LATENCY_MS (an integer >= 0)',
      throttleRate: 'DEMO_TENANT_THROTTLE_RATE (a share between 0 and 1)',
      unavailableRate: 'DEMO_TENANT_UNAVAILABLE_RATE (a share between 0 and 1)',
      retryAfterSeconds: 'DEMO_TENANT_RETRY_AFTER_SECONDS (an integer >= 0)',
    };
    throw new Error(`${names[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`);
  }
  return result.data;
}
