export * from './port';
export { createGraphPort, GraphClientPort, type GraphPortOptions } from './graph';
export {
  createGraphCredential,
  StaticTokenCredential,
  DEMO_TOKEN,
  type GraphCredentialConfig,
  type TokenCredential,
} from './credentials';
export type { Logger } from './transport';
