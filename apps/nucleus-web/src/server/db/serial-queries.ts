import type pg from 'pg';

type QueryFn = (...args: unknown[]) => unknown;

/**
 * Makes each client the pool hands out send its promise-style queries one after another.
 *
 * Prisma's pg adapter sends the reads of a nested include inside a transaction together, on the
 * transaction's one connection (prisma/orm#29979, open). pg queues them itself today but deprecates
 * that since 8.19 ("Calling client.query() when the client is already executing a query"), and pg 9
 * will refuse it. The order and results are those of pg's own queue; a failed query does not hold
 * up the next. Callback-style calls (pg-pool's own `pool.query`) and submittables (cursors) go
 * straight through: the pool never shares a client between them.
 */
export function serializeClientQueries(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as QueryFn;
    let tail: Promise<unknown> = Promise.resolve();
    const serial: QueryFn = (...args) => {
      const first = args[0] as { submit?: unknown } | undefined;
      if (typeof args.at(-1) === 'function' || typeof first?.submit === 'function') return query(...args);
      const result = tail.then(() => query(...args));
      tail = result.catch(() => undefined);
      return result;
    };
    Object.defineProperty(client, 'query', { value: serial, configurable: true, writable: true });
  });
}
