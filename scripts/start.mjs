#!/usr/bin/env node
// Quick start: `npm start` on a fresh clone. Installs if needed, generates the Prisma client,
// builds the Nucleus when the build is missing or older than its sources, then serves it on
// http://localhost:3000 with the embedded database (or DATABASE_URL when set).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled, ensurePrismaClient, prismaCli } from './lib/setup.mjs';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'apps', 'nucleus-web');
const port = process.env.PORT ?? '3000';
const dataDir = process.env.ORBIT_DATA_DIR ?? path.join(root, '.orbit', 'nucleus-data');

function step(message) {
  console.log(`[orbit] ${message}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    console.error(`[orbit] "${command} ${args.join(' ')}" failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** Newest modification time under `target` (files or folders), skipping build output and deps. */
function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (['node_modules', '.next', 'generated', 'test-results'].includes(entry)) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function buildIsStale() {
  const buildId = path.join(web, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = [
    path.join(web, 'src'),
    path.join(web, 'next.config.ts'),
    path.join(web, 'package.json'),
    path.join(web, 'postcss.config.mjs'),
    path.join(root, 'packages', 'engine', 'src'),
    path.join(root, 'prisma', 'schema.prisma'),
  ];
  return sources.some((source) => newestMtime(source) > built);
}

/** Session and audit secrets are generated once and kept beside the data (mode 600). */
function secrets() {
  const file = path.join(dataDir, 'secrets.json');
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(file)) {
    const fresh = { authSecret: randomBytes(32).toString('hex'), auditKey: randomBytes(32).toString('hex') };
    writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

try {
  ensureInstalled();
  ensurePrismaClient();
} catch (error) {
  console.error(`[orbit] ${error.message}`);
  process.exit(error.exitCode ?? 1);
}

const generated = secrets();
const env = {
  ...process.env,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? generated.authSecret,
  ORBIT_AUDIT_KEY: process.env.ORBIT_AUDIT_KEY ?? generated.auditKey,
  ORBIT_DATA_DIR: dataDir,
};

if (buildIsStale()) {
  step('building the Nucleus (next build)…');
  run(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: web,
    env,
  });
}

if (process.env.DATABASE_URL) {
  step('applying migrations to DATABASE_URL (prisma migrate deploy)…');
  run(process.execPath, [...prismaCli, 'migrate', 'deploy'], { cwd: web, env });
} else {
  step(`no DATABASE_URL: using the embedded database in ${dataDir}`);
}

step(`starting the Nucleus on http://localhost:${port} …`);
const server = spawn(
  process.execPath,
  [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', port],
  { cwd: web, env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
