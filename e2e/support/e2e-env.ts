import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Everything one e2e run shares: a fresh database name, the port and the first admin. Fixed in the
 * environment the first time the config loads, so Playwright's workers (which reload the config and
 * inherit the environment) agree with the web server on the same values.
 */
function fixed(name: string, make: () => string): string {
  process.env[name] ??= make();
  return process.env[name];
}

export const E2E_PORT = Number(fixed('ORBIT_E2E_PORT', () => '3100'));
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_DATABASE = fixed('ORBIT_E2E_DATABASE', () => `orbit_e2e_${randomBytes(4).toString('hex')}`);
export const E2E_POSTGRES = fixed('ORBIT_E2E_POSTGRES', () => 'postgresql://postgres@127.0.0.1:5432');
export const E2E_DATABASE_URL = `${E2E_POSTGRES}/${E2E_DATABASE}`;
export const E2E_ADMIN = {
  email: fixed('ORBIT_E2E_ADMIN_EMAIL', () => 'admin@orbit.test'),
  password: fixed('ORBIT_E2E_ADMIN_PASSWORD', () => `e2e-${randomBytes(12).toString('hex')}`),
};
/** The Nucleus' data folder (grid CA and keys) for this run; start-nucleus creates it and removes it. */
export const E2E_DATA_DIR = path.join(tmpdir(), `orbit-e2e-${E2E_DATABASE}`);
/** The bootstrap code names the first team "default"; see src/server/services/auth/bootstrap-admin.ts. */
export const E2E_FIRST_TEAM = 'default';

function flag(name: string): boolean {
  return process.env[name] === '1';
}

/** Switches for people running the suite by hand; see e2e/README.md. */
export const E2E_FLAGS = {
  /** Run `next dev` instead of a production build (UI iteration only). */
  dev: flag('ORBIT_E2E_DEV'),
  /** Reuse e2e/.app's last build instead of copying and building again. */
  skipBuild: flag('ORBIT_E2E_SKIP_BUILD'),
  /** Leave the run's database in place for inspection. */
  keepDatabase: flag('ORBIT_E2E_KEEP_DATABASE'),
} as const;
