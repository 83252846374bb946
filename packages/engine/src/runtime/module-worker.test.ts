import { describe, expect, it } from 'vitest';
import { moduleWorkersAvailable, startModuleWorker } from './module-worker.ts';
import type { FixtureRequest, FixtureResponse } from './overlapped-worker.fixture.ts';

function startFixture() {
  return startModuleWorker<FixtureRequest, FixtureResponse>(
    new URL('./overlapped-worker.fixture.ts', import.meta.url),
    'fixture worker',
  );
}

// Module workers run under Deno only (see moduleWorkersAvailable).
describe.runIf(moduleWorkersAvailable())('serveRequestsOverlapped', () => {
  it('starts a request while an earlier one waits, and answers in request order', async () => {
    const worker = startFixture();
    try {
      const answered: string[] = [];
      const slow = worker.request({ id: 'slow', waitMs: 300 }).then((response) => {
        answered.push(response.id);
        return response;
      });
      const quick = worker.request({ id: 'quick', waitMs: 0 }).then((response) => {
        answered.push(response.id);
        return response;
      });
      const [first, second] = await Promise.all([slow, quick]);
      expect(answered).toEqual(['slow', 'quick']);
      expect(first.id).toBe('slow');
      expect(second.id).toBe('quick');
      // The quick request ran while the slow one waited: it was not held back until the slow one ended.
      expect(second.startedAt).toBeLessThan(first.endedAt);
      expect(second.endedAt).toBeLessThan(first.endedAt);
    } finally {
      worker.close();
    }
  });

  it('answers a failed request in its turn, failing it and every request after it', async () => {
    const worker = startFixture();
    try {
      const before = worker.request({ id: 'before', waitMs: 100 });
      const failing = worker.request({ id: 'failing', waitMs: 0, fail: true });
      const after = worker.request({ id: 'after', waitMs: 0 });
      expect((await before).id).toBe('before');
      await expect(failing).rejects.toThrow('fixture worker: request failing failed as asked');
      await expect(after).rejects.toThrow('request failing failed as asked');
    } finally {
      worker.close();
    }
  });
});
