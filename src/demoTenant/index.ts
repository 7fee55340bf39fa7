/** The demo tenant: a Graph v1.0 emulator for demos, tests and benchmarks (docs/demo-tenant.md). */
export { createDemoTenant, type DemoTenant, type DemoTenantOptions } from './emulator';
export { defaultFixturePath, loadFixture, type Fixture } from './fixture';
export { faultsFromEnv } from './faults';
export { generateFixtureChunks, writeGeneratedFixture } from './generate';
