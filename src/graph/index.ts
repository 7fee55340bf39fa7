export * from './port';
export { createGraphPort, GraphClientPort, type GraphPortOptions } from './graph';
export {
  createGraphCredential,
  createBotTokenCredential,
  type AuthorityOptions,
  StaticTokenCredential,
  DEMO_TOKEN,
  type GraphCredentialConfig,
  type TokenCredential,
} from './credentials';
export type { Logger } from './transport';
