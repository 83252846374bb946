import { mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface EmbeddedDatabase {
  /** postgresql:// URL of the wire-protocol server in front of PGlite. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Embedded PostgreSQL for the quick start: PGlite with its data under `dataDir`, served over the
 * wire protocol on 127.0.0.1 so Prisma (adapter-pg) and `prisma migrate deploy` use it like any
 * server. Clients must use a pool of ONE connection: pglite-socket interleaves split messages of
 * concurrent connections. The server allows more so pg-pool can reconnect and the CLI can migrate.
 */
export async function startEmbeddedDatabase({
  dataDir,
  port = 0,
}: {
  dataDir: string;
  port?: number;
}): Promise<EmbeddedDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const pgdata = path.join(dataDir, 'pgdata');
  await mkdir(pgdata, { recursive: true });
  const pglite = await PGlite.create(pgdata);
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port, maxConnections: 8 });
  await server.start();
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}

/** The pool size that is safe for the embedded server (see above). */
export const EMBEDDED_POOL_SIZE = 1;
