import {
  createSlidingWindowLimiter,
  SIGN_IN_LIMIT,
  type SlidingWindowLimiter,
} from './auth/sliding-window-limiter.ts';
import { db } from './db/db.ts';
import { serverEnv } from './env.ts';
import { createEventBus, type EventBus } from './events/event-bus.ts';
import type { RequestMeta, ServiceContext } from './services/service-context.ts';
import type { StarGateway } from './services/stars/star-gateway.ts';
import { sharedSingleton } from './shared-singleton.ts';

/** The process-wide pieces every request handler hands to the services. */
export function eventBus(): EventBus {
  return sharedSingleton('event-bus', createEventBus);
}

export function signInLimiter(): SlidingWindowLimiter {
  return sharedSingleton('sign-in-limiter', () => createSlidingWindowLimiter(SIGN_IN_LIMIT));
}

/** Set by the boot once the grid endpoints listen; null until then or when the grid is off. */
export function starGateway(): { current: StarGateway | null } {
  return sharedSingleton<{ current: StarGateway | null }>('star-gateway', () => ({ current: null }));
}

export function auditKey(): string {
  const key = serverEnv().auditKey;
  if (!key)
    throw new Error(
      'ORBIT_AUDIT_KEY is not set: `npm start` generates one; otherwise set it (openssl rand -hex 32)',
    );
  return key;
}

/** The client address as the reverse proxy or the socket reported it. */
export function requestMeta(headers: Headers | Record<string, unknown>): RequestMeta {
  const get = (name: string): string | null => {
    if (headers instanceof Headers) return headers.get(name);
    const value = headers[name];
    return typeof value === 'string' ? value : null;
  };
  const forwarded = get('x-forwarded-for')?.split(',')[0]?.trim();
  return { ip: forwarded || get('x-real-ip') || null, userAgent: get('user-agent') };
}

export function baseServiceContext(
  headers: Headers | Record<string, unknown>,
): Omit<ServiceContext, 'actor'> {
  return {
    db: db(),
    auditKey: auditKey(),
    events: eventBus(),
    meta: requestMeta(headers),
    publicUrl: serverEnv().publicUrl,
    stars: starGateway().current,
  };
}
