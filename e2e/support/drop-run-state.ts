import { rmSync } from 'node:fs';
import pg from 'pg';
import { E2E_DATA_DIR, E2E_DATABASE, E2E_FLAGS, E2E_POSTGRES } from './e2e-env.ts';

/**
 * Drops this run's database and data folder. start-nucleus calls it once the Nucleus has exited:
 * Playwright's globalTeardown runs before it stops the web server, and a database dropped under a
 * running Nucleus fills the log's tail with its dispatcher's failures.
 */
export async function dropRunState(): Promise<void> {
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
