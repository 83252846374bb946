import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { E2E_ADMIN } from '../support/e2e-env.ts';
import { joinStar } from '../support/grid-stars.ts';
import { signIn, snap, toastTitled } from '../support/session.ts';
import { test, treeHashes } from '../support/star-processes.ts';
import { createTeam } from '../support/teams.ts';

/** Source tree on Star A: a few sizes, one nested folder, one empty file. */
const FILES: Record<string, number> = {
  'raw/IMG_0001.raw': 3 * 1024 * 1024 + 17,
  'raw/IMG_0002.raw': 900 * 1024,
  'raw/edits/IMG_0001.xmp': 2_345,
  'raw/empty.txt': 0,
};

/** Issues a join token through Agents → Add Star and returns the join command the dialog shows. */
async function joinCommandFromUi(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'Add Star' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name (optional)').fill(name);
  await dialog.getByRole('button', { name: 'Issue join token' }).click();
  await expect(dialog.getByText('this token is shown once')).toBeVisible();
  const command = (await dialog.locator('pre').first().textContent()) ?? '';
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  return command;
}

test('two Stars join from the UI and a wizard job copies a tree from one to the other', async ({
  page,
  starHost,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const team = await createTeam(page, 'grid');
  await page.goto(`/t/${team}/agents`);
  const alphaCommand = await joinCommandFromUi(page, 'alpha');
  const betaCommand = await joinCommandFromUi(page, 'beta');
  expect(alphaCommand).not.toBe(betaCommand);

  const alpha = await joinStar(starHost, alphaCommand, 'alpha', 'ro');
  const beta = await joinStar(starHost, betaCommand, 'beta', 'rw');
  const source = path.join(alpha.root, 'photos');
  for (const [file, size] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(source, file)), { recursive: true });
    await writeFile(path.join(source, file), randomBytes(size));
  }

  // The page stays open from here on: both Stars must turn online through live updates.
  const servers = [alpha, beta].map((star) => starHost.start(['serve', '--config', star.config]));
  // The first table lists Stars; the join tokens table below has rows named after them too.
  const starRow = (name: string) =>
    page
      .getByRole('table')
      .first()
      .getByRole('row', { name: new RegExp(`^${name}\\b`) });
  for (const name of ['alpha', 'beta']) {
    await expect(
      starRow(name).locator('[data-status="online"]'),
      `${name} online; serve output:\n${servers.map((server) => server.output()).join('\n')}`,
    ).toBeVisible({ timeout: 60_000 });
  }
  await expect(starRow('alpha')).toContainText(`${alpha.root} (ro)`);
  await expect(starRow('beta')).toContainText(`${beta.root} (rw)`);
  await snap(page, 'grid-agents-two-online');
  // Each token was spent by its join.
  await page.reload();
  const tokens = page.getByRole('table').nth(1);
  for (const name of ['alpha', 'beta'])
    await expect(tokens.getByRole('row', { name: new RegExp(`^${name}\\b`) })).toContainText('used');

  await page.getByRole('link', { name: 'Jobs' }).first().click();
  await page.getByRole('link', { name: 'New job' }).first().click();
  await page.getByLabel('Job name').fill('photos-to-beta');
  await page.getByLabel('Source Star').selectOption({ label: 'alpha (online)' });
  // The directory browser lists the Star's root live; opening "photos" sets the source path.
  await page.getByLabel('Source path').fill(alpha.root);
  await page.getByRole('button', { name: 'photos', exact: true }).click();
  await expect(page.getByLabel('Source path')).toHaveValue(source);
  await expect(page.getByRole('button', { name: 'raw', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  const destination = path.join(beta.root, 'photos');
  await page.getByLabel('Destination Star').selectOption({ label: 'beta (online)' });
  await page.getByLabel('Destination path').fill(destination);
  for (let step = 0; step < 5; step++) await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Review' })).toBeVisible();
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('heading', { name: 'photos-to-beta' })).toBeVisible();

  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(toastTitled(page, 'Run queued')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/t/${team}/runs/`));
  await expect(page.locator('[data-status="succeeded"]').first()).toBeVisible({ timeout: 120_000 });
  const count = Object.keys(FILES).length;
  await expect(page.getByText(`${count} of ${count} files`)).toBeVisible();
  for (const [file, size] of Object.entries(FILES)) {
    const row = page.getByRole('row', { name: new RegExp(`^${file.replaceAll('.', '\\.')}\\b`) });
    await expect(row.locator('[data-status="done"]')).toBeVisible();
    // "done / total" with both the same, e.g. "900 KiB / 900 KiB".
    await expect(row).toContainText(/(\d[\d.]* \w+) \/ \1/);
    // An empty file has no bar to fill (0 of 0 bytes reads as 0 %).
    if (size > 0) {
      await expect(row.getByRole('progressbar', { name: `${file} progress` })).toHaveAttribute(
        'aria-valuenow',
        '100',
      );
    }
  }
  await expect(page.getByText('No failures')).toBeVisible();
  // Toasts would cover the failures card in the screenshot: wait until they are gone.
  await expect(toastTitled(page, 'Run queued')).toBeHidden();
  await snap(page, 'grid-run-succeeded');

  expect(await treeHashes(destination)).toEqual(await treeHashes(source));
});
