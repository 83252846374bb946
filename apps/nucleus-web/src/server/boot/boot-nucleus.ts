import type { Db } from '../db/create-db.ts';
import { databaseTarget, db } from '../db/db.ts';
import { EMBEDDED_POOL_SIZE, startEmbeddedDatabase } from '../db/embedded-database.ts';
import { migrateDeploy } from '../db/migrate-deploy.ts';
import { repoRoot, type ServerEnv } from '../env.ts';
import { bootstrapAdmin } from '../services/auth/bootstrap-admin.ts';

const DEFAULT_ADMIN_EMAIL = 'admin@orbit.local';

export interface BootedNucleus {
  readonly db: Db;
  /** Closes the database pool and, in embedded mode, the embedded server. */
  stop(): Promise<void>;
}

/**
 * Runs once per server process before requests are served: boots the embedded database when no
 * DATABASE_URL is set (and migrates it), then makes sure a first admin exists and says how to sign in.
 */
export async function bootNucleus(
  env: ServerEnv,
  log: (line: string) => void = console.log,
): Promise<BootedNucleus> {
  if (!env.auditKey)
    throw new Error(
      'ORBIT_AUDIT_KEY is not set: `npm start` generates one; otherwise set it (openssl rand -hex 32)',
    );
  const target = databaseTarget();
  let stopEmbedded = async () => {};
  if (!env.databaseUrl) {
    const embedded = await startEmbeddedDatabase({ dataDir: env.dataDir });
    await migrateDeploy(repoRoot(), embedded.url);
    target.url = embedded.url;
    target.poolSize = EMBEDDED_POOL_SIZE;
    stopEmbedded = () => embedded.stop();
    log(`[orbit] embedded PostgreSQL (PGlite) ready, data in ${env.dataDir}`);
  }
  const client = db();
  const email = env.admin.email ?? DEFAULT_ADMIN_EMAIL;
  const result = await bootstrapAdmin({
    db: client,
    auditKey: env.auditKey,
    email,
    password: env.admin.password,
  });
  if (result.created) {
    log(`[orbit] created the first admin, owner of team "${result.teamSlug}"`);
    log(`[orbit] sign in at ${env.publicUrl}/sign-in`);
    log(`[orbit]   email:    ${result.email}`);
    log(
      result.generatedPassword
        ? `[orbit]   password: ${result.generatedPassword}  (generated, shown only this once; only its hash is stored)`
        : '[orbit]   password: the value of ORBIT_ADMIN_PASSWORD',
    );
  } else {
    log(
      `[orbit] the admin already exists (${result.userCount} user(s)); sign in at ${env.publicUrl}/sign-in`,
    );
  }
  return {
    db: client,
    async stop() {
      await client.$disconnect();
      await stopEmbedded();
    },
  };
}
