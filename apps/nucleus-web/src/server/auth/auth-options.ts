import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { db } from '../db/db.ts';
import { type OidcConfig, serverEnv } from '../env.ts';
import { isDomainError } from '../errors.ts';
import { baseServiceContext, signInLimiter } from '../runtime.ts';
import { signInWithPassword } from '../services/auth/sign-in-with-password.ts';

const OIDC_PROVIDER_ID = 'oidc';

/** Users sign in with an OIDC account only if a user with that verified email already exists. */
function oidcProvider(oidc: OidcConfig): NextAuthOptions['providers'][number] {
  return {
    id: OIDC_PROVIDER_ID,
    name: 'Single sign-on',
    type: 'oauth',
    wellKnown: `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: 'openid email profile' } },
    idToken: true,
    checks: ['pkce', 'state'],
    profile(profile: { sub: string; email?: string; name?: string }) {
      return {
        id: profile.sub,
        email: profile.email ?? null,
        name: profile.name ?? profile.email ?? profile.sub,
      };
    },
  };
}

const oidcProfile = z.object({ email: z.email(), email_verified: z.literal(true) });

export function authOptions(): NextAuthOptions {
  const env = serverEnv();
  return {
    secret: env.authSecret,
    session: { strategy: 'jwt', maxAge: env.sessionMaxAgeSeconds },
    jwt: { maxAge: env.sessionMaxAgeSeconds },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: {
          email: { label: 'Email', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(credentials, req) {
          try {
            const user = await signInWithPassword({
              ctx: baseServiceContext(req.headers ?? {}),
              limiter: signInLimiter(),
              input: { email: credentials?.email ?? '', password: credentials?.password ?? '' },
            });
            return { id: user.id, email: user.email, name: user.name };
          } catch (error) {
            // next-auth shows a thrown message as ?error=…; a wrong password is the generic null.
            if (isDomainError(error) && error.code === 'RATE_LIMITED') throw new Error(error.message);
            if (isDomainError(error) && error.code === 'UNAUTHENTICATED') return null;
            throw error;
          }
        },
      }),
      ...(env.oidc ? [oidcProvider(env.oidc)] : []),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const verified = oidcProfile.safeParse(profile);
        if (!verified.success) return '/sign-in?error=OidcEmailNotVerified';
        const user = await db().user.findUnique({
          where: { email: verified.data.email.toLowerCase() },
          select: { id: true },
        });
        return user ? true : '/sign-in?error=OidcNoAccount';
      },
      async jwt({ token, user, account }) {
        if (!account || !user) return token;
        if (account.provider === OIDC_PROVIDER_ID) {
          const found = await db().user.findUnique({
            where: { email: (user.email ?? '').toLowerCase() },
            select: { id: true, email: true, name: true },
          });
          if (found) return { ...token, uid: found.id, email: found.email, name: found.name };
          return token;
        }
        return { ...token, uid: user.id };
      },
      session({ session, token }) {
        return { ...session, user: { id: token.uid, email: token.email, name: token.name } };
      },
    },
  };
}
