// A worker for module-worker.test.ts: each request waits `waitMs`, then reports when its handler
// started and ended (the worker's clock), or throws when asked to.
import { serveRequestsOverlapped } from './module-worker.ts';

export interface FixtureRequest {
  readonly id: string;
  readonly waitMs: number;
  readonly fail?: boolean;
}

export interface FixtureResponse {
  readonly id: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

serveRequestsOverlapped<FixtureRequest, FixtureResponse>(async ({ id, waitMs, fail }) => {
  const startedAt = performance.now();
  if (fail) throw new Error(`request ${id} failed as asked`);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  return { id, startedAt, endedAt: performance.now() };
});
