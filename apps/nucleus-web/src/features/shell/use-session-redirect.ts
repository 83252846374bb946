'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { errorCode } from './lib/error-message.ts';

/** An expired or missing session sends the user to sign in, and back here afterwards. */
export function useSignInOnUnauthorized(error: unknown): boolean {
  const router = useRouter();
  const pathname = usePathname();
  const unauthorized = errorCode(error) === 'UNAUTHORIZED';
  useEffect(() => {
    if (unauthorized) router.replace(`/sign-in?callbackUrl=${encodeURIComponent(pathname)}`);
  }, [unauthorized, router, pathname]);
  return unauthorized;
}
