import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../support/e2e-env.ts';
import { signIn, snap, toastTitled } from '../support/session.ts';
import { createTeam, inviteAndAccept } from '../support/teams.ts';

test('an owner invites an operator, who accepts the link and works in the team', async ({
  page,
  browser,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const team = await createTeam(page, 'members');
  const operator = await inviteAndAccept(page, browser, team, 'operator');

  await expect(operator.page.getByRole('button', { name: 'Switch team' })).toContainText('operator');
  await operator.page.getByRole('link', { name: 'Jobs' }).click();
  await expect(operator.page.getByRole('link', { name: 'New job' }).first()).toBeVisible();
  await snap(operator.page, 'operator-jobs');

  await page.goto(`/t/${team}/admin?tab=members`);
  const row = page.getByRole('row', { name: new RegExp(operator.email) });
  await expect(row).toContainText('Test operator');
  await row.getByLabel(`Role of ${operator.email}`).selectOption('admin');
  await expect(toastTitled(page, 'Role changed to admin')).toBeVisible();
  await page.goto(`/t/${team}/admin?tab=invitations`);
  await expect(page.getByRole('row', { name: new RegExp(operator.email) })).toContainText('accepted');
  await snap(page, 'admin-invitations');
  await operator.page.context().close();
});
