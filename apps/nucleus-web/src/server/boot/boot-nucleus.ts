import { databaseTarget, db } from '../db/db.ts';
import { EMBEDDED_POOL_SIZE, startEmbeddedDatabase } from '../db/embedded-database.ts';
import { migrateDeploy } from '../db/migrate-deploy.ts';
import { repoRoot, serverEnv } from '../env.ts';
import { auditKey } from '../runtime.ts';
import { bootstrapAdmin } from '../services/auth/bootstrap-admin.ts';

const DEFAULT_ADMIN_EMAIL = 'admin@orbit.local';

/**
 * Runs once per server process before requests are served: boots the embedded database when no
 * DATABASE_URL is set (and migrates it), then makes sure a first admin exists.
 */
export async function bootNucleus(): Promise<void> {
  const env = serverEnv();
  const target = databaseTarget();
  if (!env.databaseUrl) {
    const embedded = await startEmbeddedDatabase({ dataDir: env.dataDir });
    await migrateDeploy(repoRoot(), embedded.url);
    target.url = embedded.url;
    target.poolSize = EMBEDDED_POOL_SIZE;
    const stop = (signal: NodeJS.Signals) => {
      void embedded.stop().finally(() => process.kill(process.pid, signal));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    console.log(`[orbit] embedded PostgreSQL (PGlite) ready, data in ${env.dataDir}`);
  }
  const email = env.admin.email ?? DEFAULT_ADMIN_EMAIL;
  const result = await bootstrapAdmin({
    db: db(),
    auditKey: auditKey(),
    email,
    password: env.admin.password,
  });
  if (result.created) {
    const password = result.generatedPassword
      ? `password: ${result.generatedPassword}\n[orbit]   (generated; shown only this once — only its hash is stored)`
      : 'password: the value of ORBIT_ADMIN_PASSWORD';
    console.log(`[orbit] created the first admin, owner of team "${result.teamSlug}"`);
    console.log(
      `[orbit] sign in at ${env.publicUrl}/sign-in\n[orbit]   email: ${result.email}\n[orbit]   ${password}`,
    );
  } else {
    console.log(`[orbit] ${result.userCount} user(s) exist; sign in at ${env.publicUrl}/sign-in`);
  }
}
