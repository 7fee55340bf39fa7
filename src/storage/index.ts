export * from './ports';
export { openSqliteStores, DATABASE_FILE_NAME } from './sqlite';
export { openPostgresStores, DEFAULT_POSTGRES_SCHEMA, type PostgresStoresOptions } from './postgres';
