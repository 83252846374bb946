import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { E2E_BASE_URL } from './support/e2e-env.ts';

// Playwright compiles this config as CommonJS (the root package is not an ES module).
const here = __dirname;

export default defineConfig({
  testDir: path.join(here, 'tests'),
  outputDir: path.join(here, 'artifacts', 'results'),
  // One worker: the machine has two cores and the server needs one of them.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  // Waits, not time limits: the first visit of a page may compile it (next dev) on a busy machine.
  expect: { timeout: 30_000 },
  reporter: [['list'], ['html', { outputFolder: path.join(here, 'artifacts', 'report'), open: 'never' }]],
  use: {
    baseURL: E2E_BASE_URL,
    screenshot: 'on',
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `${path.join(here, '..', 'node_modules', '.bin', 'tsx')} ${path.join(here, 'start-nucleus.mts')}`,
    url: `${E2E_BASE_URL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
