export * from './port';
export { createGraphPort, type GraphPortOptions } from './graph';
export {
  createGraphCredential,
  createBotTokenCredential,
  type AuthorityOptions,
  StaticTokenCredential,
  type TokenCredential,
} from './credentials';
