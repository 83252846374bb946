import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.ts';
import { serializeClientQueries } from './serial-queries.ts';

export type Db = PrismaClient;
export type { Prisma } from '../../generated/prisma/client.ts';

export interface DbOptions {
  readonly url: string;
  /** Embedded PGlite serves one query at a time and mixes up split messages of concurrent connections: use 1. */
  readonly poolSize: number;
}

export function createDb(options: DbOptions): Db {
  return createDbOnPool(options).db;
}

/** The client and the pg pool under it, for callers that watch what is checked out (`totalCount - idleCount`). */
export function createDbOnPool({ url, poolSize }: DbOptions): { readonly db: Db; readonly pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000 });
  serializeClientQueries(pool);
  // $disconnect ends this pool, as it ends one the adapter makes itself.
  return { db: new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) }), pool };
}
