import { rmSync } from 'node:fs';
import pg from 'pg';
import { E2E_DATA_DIR, E2E_DATABASE, E2E_FLAGS, E2E_POSTGRES } from './support/e2e-env.ts';

/** Drops this run's database; FORCE ends the server's connections if it is still shutting down. */
export default async function globalTeardown(): Promise<void> {
  rmSync(E2E_DATA_DIR, { recursive: true, force: true });
  if (E2E_FLAGS.keepDatabase) {
    console.log(`[e2e] keeping database ${E2E_DATABASE}`);
    return;
  }
  const client = new pg.Client({ connectionString: `${E2E_POSTGRES}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${E2E_DATABASE}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
