import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of `process.env` in the Nucleus. Everything else receives configuration as
 * arguments, so tests pass their own values and nothing reads the environment behind their back.
 */
const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: optional.pipe(z.url({ message: 'DATABASE_URL must be a postgresql:// URL' }).optional()),
    NEXTAUTH_SECRET: optional.pipe(
      z.string().min(32, 'NEXTAUTH_SECRET must be at least 32 characters (openssl rand -hex 32)').optional(),
    ),
    NEXTAUTH_URL: optional.pipe(z.url().optional()),
    ORBIT_AUDIT_KEY: optional.pipe(
      z.string().min(32, 'ORBIT_AUDIT_KEY must be at least 32 characters (openssl rand -hex 32)').optional(),
    ),
    ORBIT_ADMIN_EMAIL: optional.pipe(
      z.email({ message: 'ORBIT_ADMIN_EMAIL must be an email address' }).optional(),
    ),
    ORBIT_ADMIN_PASSWORD: optional.pipe(
      z.string().min(12, 'ORBIT_ADMIN_PASSWORD must be at least 12 characters').optional(),
    ),
    ORBIT_OIDC_ISSUER: optional.pipe(z.url().optional()),
    ORBIT_OIDC_CLIENT_ID: optional,
    ORBIT_OIDC_CLIENT_SECRET: optional,
    ORBIT_DATA_DIR: optional,
    ORBIT_SESSION_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    ORBIT_GRID: z.enum(['on', 'off']).default('on'),
    ORBIT_GRID_HOST: z.string().default('0.0.0.0'),
    ORBIT_GRID_PUBLIC_HOST: optional,
    ORBIT_GRID_ENROL_PORT: z.coerce.number().int().min(0).max(65535).default(7443),
    ORBIT_GRID_CONTROL_PORT: z.coerce.number().int().min(0).max(65535).default(7444),
    ORBIT_GRID_COMMAND_RETENTION_DAYS: z.coerce
      .number({ message: 'ORBIT_GRID_COMMAND_RETENTION_DAYS must be a number of days' })
      .positive('ORBIT_GRID_COMMAND_RETENTION_DAYS must be more than 0 days')
      .max(3650)
      .default(7),
    ORBIT_LOCAL_STAR: z.enum(['on', 'off']).default('on'),
    ORBIT_LOCAL_STAR_ALLOW: optional,
    ORBIT_LOCAL_STAR_DATA_PORT: z.coerce.number().int().min(1).max(65535).default(7450),
  })
  .superRefine((env, issues) => {
    const oidc = [env.ORBIT_OIDC_ISSUER, env.ORBIT_OIDC_CLIENT_ID, env.ORBIT_OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      issues.addIssue({
        code: 'custom',
        path: ['ORBIT_OIDC_ISSUER'],
        message: 'set all of ORBIT_OIDC_ISSUER, ORBIT_OIDC_CLIENT_ID and ORBIT_OIDC_CLIENT_SECRET, or none',
      });
    }
  });

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface ServerEnv {
  readonly nodeEnv: 'development' | 'production' | 'test';
  /** Absent: the Nucleus runs its embedded PGlite database. */
  readonly databaseUrl: string | undefined;
  readonly authSecret: string | undefined;
  readonly publicUrl: string;
  readonly auditKey: string | undefined;
  readonly admin: { readonly email: string | undefined; readonly password: string | undefined };
  readonly oidc: OidcConfig | undefined;
  readonly dataDir: string;
  readonly sessionMaxAgeSeconds: number;
  /** Where Stars enrol (TLS) and hold their session (mutual TLS); null when the grid is off. */
  readonly grid: {
    readonly host: string;
    readonly publicHostname: string;
    readonly enrolPort: number;
    readonly controlPort: number;
    /** Finished GridCommand rows older than this are pruned by the dispatcher. */
    readonly commandRetentionMs: number;
  } | null;
  /** The quick start's Star on this machine (embedded mode only); null when off. */
  readonly localStar: { readonly allow: readonly string[]; readonly dataPort: number } | null;
}

/**
 * The repository root: the nearest folder at or above the working directory that holds
 * prisma/schema.prisma. The Nucleus runs from apps/nucleus-web (next start, next dev) and its
 * tests from there or from the root, so the working directory alone does not say where it is.
 */
export function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    if (existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(process.cwd(), '../..');
    dir = parent;
  }
}

export function readServerEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(
      `Invalid Nucleus configuration (see apps/nucleus-web/.env.example):\n${lines.join('\n')}`,
    );
  }
  const env = parsed.data;
  return {
    nodeEnv: env.NODE_ENV,
    databaseUrl: env.DATABASE_URL,
    authSecret: env.NEXTAUTH_SECRET,
    publicUrl: env.NEXTAUTH_URL ?? 'http://localhost:3000',
    auditKey: env.ORBIT_AUDIT_KEY,
    admin: { email: env.ORBIT_ADMIN_EMAIL, password: env.ORBIT_ADMIN_PASSWORD },
    oidc:
      env.ORBIT_OIDC_ISSUER && env.ORBIT_OIDC_CLIENT_ID && env.ORBIT_OIDC_CLIENT_SECRET
        ? {
            issuer: env.ORBIT_OIDC_ISSUER,
            clientId: env.ORBIT_OIDC_CLIENT_ID,
            clientSecret: env.ORBIT_OIDC_CLIENT_SECRET,
          }
        : undefined,
    dataDir: env.ORBIT_DATA_DIR ?? path.join(repoRoot(), '.orbit', 'nucleus-data'),
    sessionMaxAgeSeconds: env.ORBIT_SESSION_HOURS * 3600,
    grid:
      env.ORBIT_GRID === 'off'
        ? null
        : {
            host: env.ORBIT_GRID_HOST,
            publicHostname:
              env.ORBIT_GRID_PUBLIC_HOST ?? new URL(env.NEXTAUTH_URL ?? 'http://localhost:3000').hostname,
            enrolPort: env.ORBIT_GRID_ENROL_PORT,
            controlPort: env.ORBIT_GRID_CONTROL_PORT,
            commandRetentionMs: env.ORBIT_GRID_COMMAND_RETENTION_DAYS * 24 * 60 * 60_000,
          },
    localStar:
      env.ORBIT_LOCAL_STAR === 'off' || env.DATABASE_URL
        ? null
        : {
            // Safe by default: read the home folder, write only under .orbit/transfers.
            allow: (
              env.ORBIT_LOCAL_STAR_ALLOW ??
              `${os.homedir()}:ro,${path.join(repoRoot(), '.orbit', 'transfers')}:rw`
            )
              .split(',')
              .map((entry) => entry.trim())
              .filter(Boolean),
            dataPort: env.ORBIT_LOCAL_STAR_DATA_PORT,
          },
  };
}

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  cached ??= readServerEnv();
  return cached;
}
