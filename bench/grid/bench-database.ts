/**
 * What the grid benches set up around the real grid server: a fresh migrated database on the
 * PostgreSQL server (ORBIT_BENCH_DATABASE_URL, default the local one), a team with an owner, and
 * join tokens — written straight to the database, as the services would, without a signed-in user.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { generateToken, hashToken } from '../../apps/nucleus-web/src/server/auth/secret-token.ts';
import { createDb, type Db } from '../../apps/nucleus-web/src/server/db/create-db.ts';
import { migrateDeploy } from '../../apps/nucleus-web/src/server/db/migrate-deploy.ts';

const SERVER_URL = process.env.ORBIT_BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const root = path.resolve(import.meta.dirname, '../..');

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  readonly db: Db;
  /** Disconnects and drops the database; a failure is logged, not thrown (it runs in `finally`). */
  drop(): Promise<void>;
}

export async function createBenchDatabase(
  poolSize: number,
  log: (message: string) => void,
): Promise<BenchDatabase> {
  const name = `orbit_bench_${randomBytes(6).toString('hex')}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  await admin(`CREATE DATABASE "${name}"`);
  try {
    await migrateDeploy(root, url.toString());
  } catch (error) {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    throw error;
  }
  const db = createDb({ url: url.toString(), poolSize });
  return {
    db,
    async drop() {
      await db.$disconnect();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((error: unknown) =>
        log(`could not drop ${name}: ${(error as Error).message}`),
      );
    },
  };
}

export interface BenchTeam {
  readonly teamId: string;
  readonly ownerId: string;
}

export async function createBenchTeam(db: Db): Promise<BenchTeam> {
  const suffix = randomBytes(4).toString('hex');
  const owner = await db.user.create({
    data: { email: `bench-${suffix}@example.test`, name: 'Bench owner' },
    select: { id: true },
  });
  const team = await db.team.create({
    data: { slug: `bench-${suffix}`, name: 'Bench' },
    select: { id: true },
  });
  return { teamId: team.id, ownerId: owner.id };
}

/** A one-time join token valid for an hour, as the Agents tab issues it. */
export async function createJoinToken(db: Db, team: BenchTeam): Promise<string> {
  const token = generateToken('join');
  await db.joinToken.create({
    data: {
      teamId: team.teamId,
      tokenHash: hashToken(token),
      issuedById: team.ownerId,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
    select: { id: true },
  });
  return token;
}
