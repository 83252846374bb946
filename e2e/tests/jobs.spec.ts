import { expect, type Page, test } from '@playwright/test';
import { E2E_ADMIN } from '../support/e2e-env.ts';
import { signIn, snap, toastTitled } from '../support/session.ts';
import { createTeam } from '../support/teams.ts';

async function wizardJob(
  page: Page,
  team: string,
  job: {
    name: string;
    source: string;
    destination: string;
    mode?: string;
    after?: string;
    schedule?: string;
  },
): Promise<void> {
  await page.goto(`/t/${team}/jobs`);
  await page.getByRole('link', { name: 'New job' }).first().click();
  await page.getByLabel('Job name').fill(job.name);
  await page.getByLabel('Source path').fill(job.source);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByLabel('Destination path').fill(job.destination);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.getByText('this job has no Star yet')).toBeVisible();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  if (job.mode) await page.getByRole('radio', { name: job.mode }).check();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  if (job.after) await page.getByRole('checkbox', { name: new RegExp(`^${job.after}`) }).check();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  if (job.schedule) {
    await page.getByLabel(/Schedule/).fill(job.schedule);
    await expect(page.getByText(/At \d\d:\d\d every day \(UTC\)/)).toBeVisible();
  }
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Review' })).toBeVisible();
  await expect(
    page.getByTestId('starmap').getByTestId('starmap-node').filter({ hasText: job.name }),
  ).toBeVisible();
}

test('two dependent jobs built in the wizard appear on the Starmap with their edge', async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const team = await createTeam(page, 'wizard');
  await page.goto(`/t/${team}/jobs`);
  await expect(page.getByText('No jobs yet')).toBeVisible();

  await wizardJob(page, team, { name: 'ingest', source: '/srv/photos', destination: '/backup/photos' });
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('heading', { name: 'ingest' })).toBeVisible();

  await wizardJob(page, team, {
    name: 'ingest-archive',
    source: '/backup/photos',
    destination: '/archive/photos',
    mode: 'archive',
    after: 'ingest',
    schedule: '30 2 * * *',
  });
  // The review shows the plan: the saved job, the new one and the dependency between them.
  await expect(page.getByTestId('starmap').locator('.react-flow__edge')).toHaveCount(1);
  await snap(page, 'wizard-review');
  await page.getByRole('button', { name: 'Create job' }).click();

  await expect(page.getByRole('heading', { name: 'ingest-archive' })).toBeVisible();
  await expect(page.getByText('At 02:30 every day (30 2 * * *, UTC)')).toBeVisible();
  const starmap = page.getByTestId('starmap');
  await expect(starmap.getByTestId('starmap-node')).toHaveCount(2);
  await expect(starmap.locator('.react-flow__edge')).toHaveCount(1);
  await expect(starmap.locator('[data-current]')).toContainText('ingest-archive');
  await snap(page, 'job-detail-starmap');

  // Clicking the dependency on the map opens it.
  await starmap
    .getByTestId('starmap-node')
    .filter({ hasText: /^ingest/ })
    .filter({ hasNotText: 'archive' })
    .click();
  await expect(page.getByRole('heading', { name: 'ingest', exact: true })).toBeVisible();

  await page.goto(`/t/${team}/jobs`);
  await expect(page.getByRole('row', { name: /ingest-archive/ })).toContainText('ingest');
  await snap(page, 'jobs-list');
});

const BROKEN = `[defaults]
checksum = "blake3"

[[job]]
name = "raw-ingest"
source = "/srv/raw"
destination = "/backup/raw"
compresion = "zstd"

[[job]]
name = "raw-archive"
source = "/backup/raw"
destination = "/archive/raw"
mode = "archive"
depends_on = ["raw-ingest"]
`;

test('a pasted manifest shows its problems at their lines, then imports two dependent jobs', async ({
  page,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const team = await createTeam(page, 'import');
  await page.goto(`/t/${team}/jobs`);
  await page.getByRole('link', { name: 'Import manifest' }).first().click();

  const editor = page.getByLabel('Manifest (TOML)');
  await editor.fill(BROKEN);
  await page.getByRole('button', { name: 'Check manifest' }).click();
  const typoLine = BROKEN.split('\n').findIndex((line) => line.startsWith('compresion')) + 1;
  await expect(page.locator(`[data-failing-line="${typoLine}"]`)).toBeVisible();
  const problems = page.getByTestId('manifest-problems');
  await expect(problems).toContainText(`${typoLine}:`);
  await expect(problems).toContainText('compresion');
  await expect(problems).toContainText('compression');
  await snap(page, 'import-errors');

  await editor.fill(BROKEN.replace('compresion', 'compression'));
  await page.getByRole('button', { name: 'Check manifest' }).click();
  await expect(page.getByText('Valid: 2 jobs')).toBeVisible();
  await expect(page.locator('[data-failing-line]')).toHaveCount(0);
  await expect(page.getByTestId('starmap').locator('.react-flow__edge')).toHaveCount(1);
  await snap(page, 'import-valid');
  await page.getByRole('button', { name: 'Import 2 jobs' }).click();

  await expect(page).toHaveURL(new RegExp(`/t/${team}/jobs$`));
  await expect(toastTitled(page, 'Imported 2 jobs')).toBeVisible();
  await page.getByRole('link', { name: 'raw-archive' }).click();
  const starmap = page.getByTestId('starmap');
  await expect(starmap.getByTestId('starmap-node')).toHaveCount(2);
  await expect(starmap.locator('.react-flow__edge')).toHaveCount(1);
  await expect(page.getByText('Depends on')).toBeVisible();
  await snap(page, 'imported-job');
});
