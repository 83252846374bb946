import { createEventBus } from '../events/event-bus.ts';
import { handleRestRequest } from '../rest/handle-rest.ts';
import { TEST_AUDIT_KEY } from './fixtures.ts';
import type { TestDatabase } from './test-database.ts';

/** Sends a real Request through the /api/v1 handler the route file exports. */
export async function rest(
  test: TestDatabase,
  method: string,
  path: string,
  {
    token,
    json,
    body,
    contentType,
  }: { token?: string; json?: unknown; body?: BodyInit; contentType?: string } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers = new Headers({ 'user-agent': 'vitest-rest', 'x-forwarded-for': '203.0.113.5' });
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (json !== undefined) headers.set('content-type', 'application/json');
  if (contentType) headers.set('content-type', contentType);
  const request = new Request(`http://nucleus.test/api/v1${path}`, {
    method,
    headers,
    ...(json !== undefined ? { body: JSON.stringify(json) } : body !== undefined ? { body } : {}),
  });
  const response = await handleRestRequest(request, () => ({
    db: test.db,
    auditKey: TEST_AUDIT_KEY,
    events: createEventBus(),
    meta: { ip: '203.0.113.5', userAgent: 'vitest-rest' },
    publicUrl: 'http://nucleus.test',
    stars: null,
  }));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}
