import { serverEnv } from '../env.ts';
import { sharedSingleton } from '../shared-singleton.ts';
import { createDb, type Db } from './create-db.ts';

interface DatabaseTarget {
  url: string | undefined;
  poolSize: number;
}

/** Where the process' database is: DATABASE_URL, or the embedded server once it has booted. */
export function databaseTarget(): DatabaseTarget {
  return sharedSingleton<DatabaseTarget>('database-target', () => ({
    url: serverEnv().databaseUrl,
    poolSize: 10,
  }));
}

/** The process-wide Prisma client. */
export function db(): Db {
  return sharedSingleton('db', () => {
    const { url, poolSize } = databaseTarget();
    if (url === undefined) {
      throw new Error(
        'The database is not ready yet: the embedded database did not boot or DATABASE_URL is unset',
      );
    }
    return createDb({ url, poolSize });
  });
}
