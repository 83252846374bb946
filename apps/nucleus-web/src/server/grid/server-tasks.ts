import { status } from '@grpc/grpc-js';
import { GridRefusal } from './grid-refusal.ts';

/** Work asked of a grid server that is stopping: it is not started; a Star is told UNAVAILABLE and redials. */
export class ServerStopping extends GridRefusal {
  constructor(what: string) {
    super(status.UNAVAILABLE, `${what}: the Nucleus is stopping`);
  }
}

/**
 * Database work a server starts that no caller awaits (presence and heartbeat writes, command
 * outcomes, ticket checks). `close` refuses new work and waits for the rest: a write still running
 * when the caller disconnects Prisma holds its pool client, and one that is just starting leaks it.
 */
export interface ServerTasks {
  /** Runs `task`, or rejects with ServerStopping once `close` was called (then `task` never runs). */
  run<T>(what: string, task: () => Promise<T>): Promise<T>;
  /** How many tasks are still running. */
  running(): number;
  close(): Promise<void>;
}

export function createServerTasks(): ServerTasks {
  const running = new Set<Promise<unknown>>();
  let closed = false;
  return {
    run(what, task) {
      if (closed) return Promise.reject(new ServerStopping(what));
      const promise = task();
      const settled = promise.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.then(() => running.delete(settled));
      return promise;
    },
    running: () => running.size,
    async close() {
      closed = true;
      await Promise.all(running);
    },
  };
}

/** True when `promise` settles (either way) within `ms`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(ms, 0));
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
