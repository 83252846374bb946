import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client.ts';

export type Db = PrismaClient;
export type { Prisma } from '../../generated/prisma/client.ts';

export interface DbOptions {
  readonly url: string;
  /** Embedded PGlite serves one query at a time and mixes up split messages of concurrent connections: use 1. */
  readonly poolSize: number;
}

export function createDb({ url, poolSize }: DbOptions): Db {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000 });
  return new PrismaClient({ adapter });
}
