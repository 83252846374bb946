/**
 * Playwright's web server: creates this run's database, applies the migrations, builds the Nucleus
 * (unless ORBIT_E2E_SKIP_BUILD=1 and a build exists) and starts it with `next start`. The first admin
 * is created by the Nucleus' own bootstrap from ORBIT_ADMIN_EMAIL / ORBIT_ADMIN_PASSWORD.
 * ORBIT_E2E_DEV=1 runs `next dev` instead, for quick iterations on the UI (not what CI runs).
 *
 * The build happens in a snapshot of apps/nucleus-web at e2e/.app (same depth below the repo root, so
 * its relative paths hold): another `next build` in the working tree cannot swap the assets of the
 * server under test halfway through a run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { dropRunState } from './support/drop-run-state.ts';
import {
  E2E_ADMIN,
  E2E_BASE_URL,
  E2E_DATA_DIR,
  E2E_DATABASE,
  E2E_DATABASE_URL,
  E2E_FLAGS,
  E2E_PORT,
  E2E_POSTGRES,
} from './support/e2e-env.ts';

const root = path.resolve(import.meta.dirname, '..');
const source = path.join(root, 'apps', 'nucleus-web');
const app = path.join(import.meta.dirname, '.app');
const SKIPPED = new Set(['node_modules', '.next', '.turbo', '.env', 'tsconfig.tsbuildinfo']);
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

// The grid's CA and keys live in the data folder: a throwaway one per run (removed with the database).
const dataDir = E2E_DATA_DIR;
mkdirSync(dataDir, { recursive: true });

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  DATABASE_URL: E2E_DATABASE_URL,
  NEXTAUTH_URL: E2E_BASE_URL,
  NEXTAUTH_SECRET: randomBytes(32).toString('hex'),
  ORBIT_AUDIT_KEY: randomBytes(32).toString('hex'),
  ORBIT_ADMIN_EMAIL: E2E_ADMIN.email,
  ORBIT_ADMIN_PASSWORD: E2E_ADMIN.password,
  ORBIT_DATA_DIR: dataDir,
  // Free ports picked by the grid (0): never the defaults of a Nucleus started with `npm start`, never
  // the ports of a previous run's server that is still shutting down.
  ORBIT_GRID_ENROL_PORT: '0',
  ORBIT_GRID_CONTROL_PORT: '0',
};

async function step(label: string, command: string, args: string[]): Promise<void> {
  console.log(`[e2e] ${label}`);
  const result = spawnSync(command, args, { cwd: app, env, stdio: 'inherit' });
  if (result.status !== 0) {
    await dropRunState();
    throw new Error(`[e2e] ${label} failed (exit ${result.status ?? result.signal})`);
  }
}

const admin = new pg.Client({ connectionString: `${E2E_POSTGRES}/postgres` });
await admin.connect();
await admin.query(`CREATE DATABASE "${E2E_DATABASE}"`);
await admin.end();
console.log(`[e2e] database ${E2E_DATABASE} created`);

const dev = E2E_FLAGS.dev;
const built = existsSync(path.join(app, '.next', 'BUILD_ID'));
const reuse = !dev && E2E_FLAGS.skipBuild && built;
if (!reuse) {
  // Fresh sources every time; .next stays so Turbopack's cache speeds up the next build.
  for (const entry of ['src', 'public']) rmSync(path.join(app, entry), { recursive: true, force: true });
  cpSync(source, app, {
    recursive: true,
    filter: (from) => !SKIPPED.has(path.basename(from)),
  });
  console.log(`[e2e] copied ${path.relative(root, source)} to ${path.relative(root, app)}`);
}
await step('prisma migrate deploy', bin('prisma'), ['migrate', 'deploy']);
if (dev) console.log('[e2e] development server: no build');
else if (reuse) console.log('[e2e] reusing the existing build');
else {
  // Types are the typecheck step's job (`npm test` runs tsc over every package first); building in two
  // phases skips Next's own type pass, so a type error elsewhere in the monorepo fails that step, not
  // the browser tests.
  await step('next build (compile)', bin('next'), ['build', '--experimental-build-mode=compile']);
  await step('next build (generate)', bin('next'), ['build', '--experimental-build-mode=generate']);
}

console.log(`[e2e] next ${dev ? 'dev' : 'start'} on ${E2E_BASE_URL}`);
const server = spawn(bin('next'), [dev ? 'dev' : 'start', '-p', String(E2E_PORT), '-H', '127.0.0.1'], {
  cwd: app,
  env: dev ? { ...env, NODE_ENV: 'development' } : env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
// Playwright stops this process with SIGTERM after the last test (gracefulShutdown); the database
// goes only once the Nucleus is down.
server.on('exit', (code) => {
  dropRunState().then(
    () => process.exit(code ?? 0),
    (error: unknown) => {
      console.error(
        `[e2e] could not drop ${E2E_DATABASE}: ${error instanceof Error ? error.message : error}`,
      );
      process.exit(code ?? 1);
    },
  );
});
