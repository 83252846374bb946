import type { z } from 'zod';
import type { TeamContext } from '../services/service-context.ts';

export type HttpMethod = 'GET' | 'POST';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

interface RouteShape {
  readonly method: HttpMethod;
  /** OpenAPI-style template under /api/v1, e.g. `/jobs/{jobId}/run`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** Also accept the body as text/plain or multipart field "manifest" (a manifest upload). */
  readonly acceptsManifestUpload?: boolean;
  readonly status: 200 | 201;
  readonly response: z.ZodType;
}

/** One REST operation: its schemas drive validation, the OpenAPI document and the tests. */
export interface RestRoute extends RouteShape {
  handle(ctx: TeamContext, raw: { params: unknown; query: unknown; body: unknown }): Promise<unknown>;
}

export function defineRoute<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  route: RouteShape & {
    params?: P;
    query?: Q;
    body?: B;
    handle(
      ctx: TeamContext,
      input: { params: Parsed<P>; query: Parsed<Q>; body: Parsed<B> },
    ): Promise<unknown>;
  },
): RestRoute {
  return {
    ...route,
    handle: (ctx, raw) =>
      route.handle(ctx, {
        params: route.params?.parse(raw.params) as Parsed<P>,
        query: route.query?.parse(raw.query) as Parsed<Q>,
        body: route.body?.parse(raw.body ?? {}) as Parsed<B>,
      }),
  };
}
