import { createEventBus } from '../events/event-bus.ts';
import { appRouter } from '../routers/app-router.ts';
import { createCallerFactory } from '../trpc/procedures.ts';
import { TEST_AUDIT_KEY, type TestUser } from './fixtures.ts';
import type { TestDatabase } from './test-database.ts';

const createCaller = createCallerFactory(appRouter);

/** The real router with a real context, signed in as `user` (or anonymous with null). */
export function callerFor(test: TestDatabase, user: TestUser | null) {
  return createCaller({
    base: {
      db: test.db,
      auditKey: TEST_AUDIT_KEY,
      events: createEventBus(),
      meta: { ip: '198.51.100.7', userAgent: 'vitest-trpc' },
      publicUrl: 'http://nucleus.test',
      stars: null,
    },
    user: user ? { id: user.id, email: user.email, name: user.email } : null,
  });
}

export type Caller = ReturnType<typeof callerFor>;
