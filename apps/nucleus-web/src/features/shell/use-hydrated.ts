'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False during server rendering and until React has attached handlers in the browser. Forms keep
 * their submit button disabled until then, so an early click can never submit natively (as a GET
 * that would put the password in the URL).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
