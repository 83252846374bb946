import type { Db } from '../db/create-db.ts';
import { databaseTarget, db } from '../db/db.ts';
import { EMBEDDED_POOL_SIZE, startEmbeddedDatabase } from '../db/embedded-database.ts';
import { migrateDeploy } from '../db/migrate-deploy.ts';
import { repoRoot, type ServerEnv } from '../env.ts';
import { type GridServer, startGridServer } from '../grid/start-grid-server.ts';
import { eventBus, starGateway } from '../runtime.ts';
import { bootstrapAdmin } from '../services/auth/bootstrap-admin.ts';
import { gridGateway } from './grid-gateway.ts';
import { startLocalStar } from './local-star.ts';

const DEFAULT_ADMIN_EMAIL = 'admin@orbit.local';

export interface BootedNucleus {
  readonly db: Db;
  /** Null when the grid is off or could not start. */
  readonly grid: GridServer | null;
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
  const grid = await startGrid(env, client, env.auditKey, log);
  // The local Star joins in the background: the Nucleus serves requests meanwhile.
  const localStar =
    grid && env.grid && env.localStar
      ? startLocalStar({
          root: repoRoot(),
          dataDir: env.dataDir,
          db: client,
          auditKey: env.auditKey,
          publicUrl: env.publicUrl,
          grid,
          gridHostname: env.grid.publicHostname,
          allow: env.localStar.allow,
          dataPort: env.localStar.dataPort,
          log,
        }).catch((error: unknown) => {
          log(
            `[orbit] the local Star did not start: ${error instanceof Error ? error.message : String(error)}`,
          );
          return null;
        })
      : Promise.resolve(null);
  return {
    db: client,
    grid,
    async stop() {
      starGateway().current = null;
      await (await localStar)?.stop();
      await grid?.stop();
      await client.$disconnect();
      await stopEmbedded();
    },
  };
}

/** The grid endpoints Stars dial. A failure (port taken) leaves the UI up and says why. */
async function startGrid(env: ServerEnv, client: Db, auditKey: string, log: (line: string) => void) {
  if (!env.grid) {
    log('[orbit] grid endpoints are off (ORBIT_GRID=off): no Star can connect');
    return null;
  }
  let grid: GridServer;
  try {
    grid = await startGridServer({
      prisma: client,
      auditKey,
      events: eventBus(),
      stateDir: env.dataDir,
      enrolPort: env.grid.enrolPort,
      controlPort: env.grid.controlPort,
      host: env.grid.host,
      publicHostname: env.grid.publicHostname,
      dispatcher: { commandRetentionMs: env.grid.commandRetentionMs },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(
      `[orbit] grid endpoints did not start (${reason}); Stars cannot connect. Set ORBIT_GRID_ENROL_PORT / ORBIT_GRID_CONTROL_PORT or ORBIT_GRID=off`,
    );
    return null;
  }
  starGateway().current = gridGateway(grid);
  log(
    `[orbit] grid: Stars enrol at ${env.grid.publicHostname}:${grid.enrolPort} and connect at :${grid.controlPort} (CA ${grid.caPin})`,
  );
  return grid;
}
