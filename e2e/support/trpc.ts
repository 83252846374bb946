import { type APIRequestContext, type APIResponse, expect } from '@playwright/test';

/**
 * Calls the Nucleus' tRPC API the way its client does (superjson envelope), with whatever session
 * cookies the request context carries. Tests use it to set up state quickly and to probe refusals.
 */
export async function trpcMutationResponse(
  request: APIRequestContext,
  procedure: string,
  input: unknown,
): Promise<APIResponse> {
  return request.post(`/api/trpc/${procedure}`, { data: { json: input } });
}

export async function trpcMutation<T>(
  request: APIRequestContext,
  procedure: string,
  input: unknown,
): Promise<T> {
  const response = await trpcMutationResponse(request, procedure, input);
  const body = await response.json();
  expect(response.status(), `${procedure}: ${JSON.stringify(body)}`).toBe(200);
  return body.result.data.json as T;
}

export async function trpcQuery<T>(
  request: APIRequestContext,
  procedure: string,
  input: unknown,
): Promise<T> {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await request.get(`/api/trpc/${procedure}?input=${query}`);
  const body = await response.json();
  expect(response.status(), `${procedure}: ${JSON.stringify(body)}`).toBe(200);
  return body.result.data.json as T;
}
