// `npm test`: every check the project has, in the order that fails fastest — types, lint, unit and
// integration tests under Node, the engine's tests again under Deno, then the browser e2e suite.
// Works on a fresh clone: it installs what is missing first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, ensureInstalled, ensurePrismaClient, log, root, run } from './lib/setup.mjs';

const only = process.argv.slice(2);
const wants = (step) => only.length === 0 || only.includes(step);

function ensurePostgres() {
  const ready = () =>
    spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], { stdio: 'ignore' }).status === 0;
  if (ready()) return;
  if (spawnSync('sh', ['-c', 'command -v pg_ctlcluster'], { stdio: 'ignore' }).status === 0) {
    log('PostgreSQL is down; starting it…');
    spawnSync('sh', ['-c', 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'], {
      stdio: 'inherit',
    });
  }
  if (!ready()) {
    throw new Error(
      'PostgreSQL is not reachable on 127.0.0.1:5432. Start it (see README "Tests") or set ORBIT_TEST_DATABASE_URL.',
    );
  }
}

function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0) {
    log("installing Debian's chromium for the browser tests…");
    run('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium']);
    return;
  }
  throw new Error('The e2e suite needs /usr/bin/chromium: install it with `apt-get install chromium`.');
}

/** Vitest's JSON report gives the counts for the closing line. */
function vitest(label, command, args, cwd) {
  const dir = mkdtempSync(join(tmpdir(), 'orbit-vitest-'));
  const report = join(dir, 'report.json');
  try {
    log(label);
    const result = spawnSync(
      command,
      [...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
      {
        cwd,
        stdio: 'inherit',
      },
    );
    const counts = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
    totals.passed += counts?.numPassedTests ?? 0;
    totals.failed += counts?.numFailedTests ?? 0;
    totals.skipped += counts?.numPendingTests ?? 0;
    for (const file of counts?.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        if (test.status !== 'failed') continue;
        const reason = String(test.failureMessages?.[0] ?? '')
          .split('\n')[0]
          .slice(0, 300);
        failedTests.push(`${file.name.replace(`${root}/`, '')} › ${test.fullName}\n    ${reason}`);
      }
      if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
        failedTests.push(
          `${file.name.replace(`${root}/`, '')}\n    ${String(file.message ?? '').split('\n')[0]}`,
        );
      }
    }
    if (result.status !== 0) failures.push(label);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
/** Named again at the very end, so a long log's tail says which test failed and why. */
const failedTests = [];

function step(label, fn) {
  try {
    fn();
  } catch (error) {
    console.error(`\n✖ ${label}: ${error instanceof Error ? error.message : String(error)}`);
    failures.push(label);
  }
}

ensureInstalled();
ensurePrismaClient();

if (wants('types')) {
  step('type check', () => {
    log('type-checking every workspace…');
    run(bin('turbo'), ['run', 'typecheck', '--output-logs=errors-only']);
  });
}
if (wants('lint')) {
  step('lint', () => {
    log('linting (Biome)…');
    run(bin('biome'), ['check', '.']);
  });
}
if (wants('unit')) {
  step('database', ensurePostgres);
  vitest('unit and integration tests (Node)…', bin('vitest'), ['run'], root);
}
if (wants('deno')) {
  // What runs on Deno in production is tested on Deno too: the engine, the contract, the Star.
  // The CLI's end-to-end tests already drive the real CLI under deno from Node, so they run once.
  const denoVitest = [bin('deno'), ['run', '-A', join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run']];
  for (const [dir, extra] of [
    ['packages/engine', []],
    ['packages/proto', []],
    ['apps/star', ['--exclude', 'test/cli/**']],
  ]) {
    vitest(`${dir} tests under Deno…`, denoVitest[0], [...denoVitest[1], ...extra], join(root, dir));
  }
}
if (wants('e2e') && existsSync(join(root, 'e2e', 'playwright.config.ts'))) {
  step('e2e', () => {
    ensurePostgres();
    ensureChromium();
    log('browser end-to-end tests (Playwright + chromium)…');
    run(bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts']);
  });
}

console.log('');
if (failedTests.length > 0) console.error(`failed tests:\n  ${failedTests.join('\n  ')}`);
if (failures.length > 0) console.error(`failed steps: ${failures.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length > 0 ? 1 : 0);
