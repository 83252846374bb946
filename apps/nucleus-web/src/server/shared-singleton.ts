/**
 * Next bundles instrumentation, route handlers and pages separately, so a module-level variable
 * exists once per bundle. Process-wide state (database pool, event bus, rate limiter) lives on
 * globalThis under a registered symbol instead.
 */
export function sharedSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`orbit.nucleus.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const existing = store[key];
  if (existing !== undefined) return existing;
  const value = create();
  store[key] = value;
  return value;
}

export function replaceSharedSingleton<T>(name: string, value: T): void {
  (globalThis as unknown as Record<symbol, T>)[Symbol.for(`orbit.nucleus.${name}`)] = value;
}
