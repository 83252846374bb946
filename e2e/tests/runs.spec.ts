import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../support/e2e-env.ts';
import { signIn, snap, toastTitled } from '../support/session.ts';
import { createTeam } from '../support/teams.ts';
import { trpcMutation } from '../support/trpc.ts';

test('running a job with no Star queues a run that says it waits, and it can be cancelled', async ({
  page,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const team = await createTeam(page, 'runs');
  const job = await trpcMutation<{ id: string }>(page.request, 'job.create', {
    teamSlug: team,
    name: 'nightly',
    sourcePath: '/srv/nightly',
    destinationPath: '/backup/nightly',
  });

  await page.goto(`/t/${team}/jobs/${job.id}`);
  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(toastTitled(page, 'Run queued')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/t/${team}/runs/`));
  await expect(page.getByRole('heading', { name: 'Run of nightly' })).toBeVisible();
  await expect(page.locator('[data-status="queued"]')).toBeVisible();
  await expect(page.getByText(/waiting for a Star/i).first()).toBeVisible();
  await expect(page.getByText('No failures')).toBeVisible();
  await snap(page, 'run-queued');

  await page.getByRole('button', { name: 'Cancel run' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel run' }).click();
  await expect(page.locator('[data-status="cancelled"]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();

  await page.goto('/');
  await page.goto(`/t/${team}/dashboard`);
  await expect(page.getByText('Nothing is running right now.')).toBeVisible();
});
