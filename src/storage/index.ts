export * from './ports';
export { openSqliteStores, DATABASE_FILE_NAME } from './sqlite';
export { openPostgresStores } from './postgres';
