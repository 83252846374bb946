import { type DomainError, errorBody, HTTP_STATUS, Invalid, NotFound, toDomainError } from '../errors.ts';
import { authenticateApiToken } from '../services/api-tokens/authenticate-api-token.ts';
import type { ServiceContext } from '../services/service-context.ts';
import { openApiDocument } from './openapi-document.ts';
import type { RestRoute } from './rest-route.ts';
import { REST_ROUTES } from './rest-routes.ts';

export const REST_PREFIX = '/api/v1';

interface CompiledRoute {
  readonly route: RestRoute;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

function compile(route: RestRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

const COMPILED = REST_ROUTES.map(compile);

export function matchRoute(
  method: string,
  path: string,
): { route: RestRoute; params: Record<string, string> } | null {
  for (const { route, pattern, names } of COMPILED) {
    if (route.method !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(
      names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]),
    );
    return { route, params };
  }
  return null;
}

async function readBody(req: Request, route: RestRoute): Promise<unknown> {
  if (req.method === 'GET') return undefined;
  const type = req.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (route.acceptsManifestUpload && type === 'text/plain') return { toml: await req.text() };
  if (route.acceptsManifestUpload && type === 'multipart/form-data') {
    const manifest = (await req.formData()).get('manifest');
    if (manifest === null)
      throw new Invalid('Upload the manifest in a form field named "manifest"', [
        { path: 'manifest', message: 'missing' },
      ]);
    return { toml: typeof manifest === 'string' ? manifest : await manifest.text() };
  }
  const text = await req.text();
  if (text.trim() === '') return undefined;
  if (type !== 'application/json') {
    const accepted = route.acceptsManifestUpload
      ? 'application/json, text/plain or multipart/form-data'
      : 'application/json';
    throw new Invalid(`Send the body as ${accepted} (got "${type || 'no content type'}")`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Invalid('The body is not valid JSON', [{ path: '(body)', message: 'not valid JSON' }]);
  }
}

function errorResponse(error: DomainError): Response {
  const headers: Record<string, string> = {};
  if (error.code === 'RATE_LIMITED' && 'retryAfterSeconds' in error)
    headers['retry-after'] = String(error.retryAfterSeconds);
  return Response.json(errorBody(error), { status: HTTP_STATUS[error.code], headers });
}

/**
 * The REST API: API-token auth (team and role come from the token), the same services as tRPC,
 * errors as `{ error: { code, message, fields? } }`.
 */
export async function handleRestRequest(
  req: Request,
  base: () => Omit<ServiceContext, 'actor'>,
): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.slice(REST_PREFIX.length) || '/';
  if (req.method === 'GET' && path === '/openapi.json') return Response.json(openApiDocument());
  try {
    const matched = matchRoute(req.method, path);
    if (!matched)
      throw new NotFound(`The route ${req.method} ${REST_PREFIX}${path} (see ${REST_PREFIX}/openapi.json)`);
    const ctx = await authenticateApiToken(base(), req.headers.get('authorization'));
    const body = await readBody(req, matched.route);
    const result = await matched.route.handle(ctx, {
      params: matched.params,
      query: Object.fromEntries(url.searchParams),
      body,
    });
    return Response.json(result, { status: matched.route.status });
  } catch (error) {
    const domain = toDomainError(error);
    if (domain.code === 'INTERNAL') console.error(`REST ${req.method} ${path} failed:`, error);
    return errorResponse(domain);
  }
}
