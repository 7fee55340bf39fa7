/** The demo tenant: a Graph v1.0 emulator for demos, tests and benchmarks (docs/demo-tenant.md). */
export { createDemoTenant, type DemoTenant, type DemoTenantOptions, type DemoTenantStats } from './emulator';
export { defaultFixturePath, loadFixture, parseFixture, type Faults, type Fixture } from './fixture';
export { faultsFromEnv } from './faults';
export { generateFixtureChunks, writeGeneratedFixture, type GenerateOptions } from './generate';
export { TenantState } from './state';
