import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from './create-db.ts';
import { EMBEDDED_POOL_SIZE, type EmbeddedDatabase, startEmbeddedDatabase } from './embedded-database.ts';
import { migrateDeploy } from './migrate-deploy.ts';

const root = path.resolve(import.meta.dirname, '../../../../..');
let dataDir: string;
let embedded: EmbeddedDatabase;
let db: Db;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'orbit-pglite-'));
  embedded = await startEmbeddedDatabase({ dataDir });
  await migrateDeploy(root, embedded.url);
  db = createDb({ url: embedded.url, poolSize: EMBEDDED_POOL_SIZE });
});

afterAll(async () => {
  await db?.$disconnect();
  await embedded?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('embedded PGlite database', () => {
  it('applies every migration, including the append-only audit trigger', async () => {
    const applied = await db.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
    expect(Number(applied[0]?.n)).toBeGreaterThan(0);
    const team = await db.team.create({ data: { slug: 'pglite', name: 'PGlite' }, select: { id: true } });
    await db.auditLog.create({
      data: {
        chain: team.id,
        seq: 1,
        teamId: team.id,
        actorType: 'system',
        actorLabel: 't',
        action: 'x',
        objectType: 'y',
        hash: 'h',
      },
    });
    await expect(
      db.auditLog.updateMany({ where: { chain: team.id }, data: { action: 'z' } }),
    ).rejects.toThrow(/append-only/);
  });

  it('round-trips parameters far larger than one TCP read', async () => {
    const large = randomBytes(384 * 1024).toString('base64');
    const [first, second] = await Promise.all([
      db.job.create({
        data: {
          team: { create: { slug: 'big-a', name: 'a' } },
          name: 'a',
          sourcePath: '/',
          destinationPath: large,
        },
        select: { id: true },
      }),
      db.job.create({
        data: {
          team: { create: { slug: 'big-b', name: 'b' } },
          name: 'b',
          sourcePath: large,
          destinationPath: '/',
        },
        select: { id: true },
      }),
    ]);
    const a = await db.job.findUniqueOrThrow({ where: { id: first.id }, select: { destinationPath: true } });
    const b = await db.job.findUniqueOrThrow({ where: { id: second.id }, select: { sourcePath: true } });
    expect(a.destinationPath).toBe(large);
    expect(b.sourcePath).toBe(large);
  });

  it('keeps unique-violation codes and interactive transactions', async () => {
    await db.team.create({ data: { slug: 'dup', name: 'dup' } });
    await expect(db.team.create({ data: { slug: 'dup', name: 'dup' } })).rejects.toMatchObject({
      code: 'P2002',
    });
    await expect(
      db.$transaction(async (tx) => {
        await tx.team.create({ data: { slug: 'rolled-back', name: 'r' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.team.count({ where: { slug: 'rolled-back' } })).toBe(0);
  });

  it('keeps its data across a restart', async () => {
    await db.team.create({ data: { slug: 'survivor', name: 'survives' } });
    await db.$disconnect();
    await embedded.stop();
    embedded = await startEmbeddedDatabase({ dataDir });
    db = createDb({ url: embedded.url, poolSize: EMBEDDED_POOL_SIZE });
    expect(await db.team.count({ where: { slug: 'survivor' } })).toBe(1);
  });
});
