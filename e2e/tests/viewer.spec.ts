import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../support/e2e-env.ts';
import { signIn, signOut, snap } from '../support/session.ts';
import { createTeam, inviteAndAccept } from '../support/teams.ts';
import { trpcMutationResponse } from '../support/trpc.ts';

test('a viewer sees no create or admin controls and the API refuses them with 403', async ({
  page,
  browser,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const team = await createTeam(page, 'viewer');
  const viewer = await inviteAndAccept(page, browser, team, 'viewer');
  const view = viewer.page;

  await view.goto(`/t/${team}/jobs`);
  await expect(view.getByRole('heading', { name: 'Jobs' })).toBeVisible();
  await expect(view.getByText('No jobs yet')).toBeVisible();
  await expect(view.getByRole('link', { name: 'New job' })).toHaveCount(0);
  await expect(view.getByRole('link', { name: 'Import manifest' })).toHaveCount(0);
  await snap(view, 'viewer-jobs');

  await view.goto(`/t/${team}/agents`);
  await expect(view.getByText('No Star has joined this team yet')).toBeVisible();
  await expect(view.getByRole('button', { name: 'Add Star' })).toHaveCount(0);
  await view.goto(`/t/${team}/admin`);
  await expect(view.getByRole('tab', { name: 'API tokens' })).toHaveCount(0);
  await expect(view.getByRole('tab', { name: 'Invitations' })).toHaveCount(0);

  // The server is what refuses: calling the API directly with the viewer's session fails.
  const create = await trpcMutationResponse(view.request, 'job.create', {
    teamSlug: team,
    name: 'sneaky',
    sourcePath: '/srv/a',
    destinationPath: '/srv/b',
  });
  expect(create.status()).toBe(403);
  const issue = await trpcMutationResponse(view.request, 'joinToken.issue', { teamSlug: team });
  expect(issue.status()).toBe(403);

  await signOut(view);
  await view.context().close();
});
