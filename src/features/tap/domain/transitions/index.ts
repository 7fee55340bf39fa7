/**
 * The TAP request state machine: pure decision functions. Each takes the stored
 * request, who acts and "now", and returns either the next request with the
 * audit events and effects the shell must carry out, or a refusal that changes
 * nothing. The shell persists `request` with an etag compare-and-set and only
 * then performs `effects`; on a conflict it reloads and decides again (the
 * loser of a race then gets the refusal that names who won).
 */
export { type Actor, type HelpdeskActor } from './common';
export * from './submit';
export * from './decide';
export * from './deliver';
export * from './timedSteps';
export * from './endStates';
