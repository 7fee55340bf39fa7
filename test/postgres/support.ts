/**
 * Test databases on the development/CI PostgreSQL (127.0.0.1:5432, database `test`):
 * each run works in schemas of its own (`ph_test_<random>_<n>`) and drops them afterwards.
 * TEST_DATABASE_URL points elsewhere.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { openPostgresStores, type Stores } from '../../src/storage';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? `postgres://${encodeURIComponent(process.env.PGUSER || os.userInfo().username)}@127.0.0.1:5432/test`;

export class TestSchemas {
  private readonly prefix = `ph_test_${randomBytes(4).toString('hex')}`;
  private readonly created: string[] = [];

  /** A name for a schema not yet in the database; dropped by dropAll(). */
  newSchema(): string {
    const schema = `${this.prefix}_${this.created.length + 1}`;
    this.created.push(schema);
    return schema;
  }

  open(schema: string, clock?: () => Date): Promise<Stores> {
    return openPostgresStores({ connectionString: TEST_DATABASE_URL, schema }, clock);
  }

  /** Runs SQL outside the stores (to inspect or to tamper). */
  async sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  async dropAll(): Promise<void> {
    if (this.created.length === 0) return;
    await this.sql(`drop schema if exists ${this.created.map((schema) => `"${schema}"`).join(', ')} cascade`);
  }
}
