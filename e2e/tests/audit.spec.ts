import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../support/e2e-env.ts';
import { signIn, snap, toastTitled } from '../support/session.ts';
import { createTeam } from '../support/teams.ts';

test('changes are audited with a before/after diff and the chain verifies', async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const team = await createTeam(page, 'audit');
  await page.goto(`/t/${team}/admin?tab=settings`);
  await page.getByLabel('Concurrency').fill('8');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(toastTitled(page, 'Team settings saved')).toBeVisible();

  await page.goto(`/t/${team}/audit`);
  const row = page.getByRole('row', { name: /team\.updateSettings/ });
  await expect(row).toBeVisible();
  await row.click();
  // A new team stores no settings yet, so the first change shows them as added.
  const diff = page.locator('tr[data-change]', { hasText: 'settings.defaultConcurrency' });
  await expect(diff).toHaveAttribute('data-change', 'added');
  await expect(diff).toContainText('8');

  await page.getByLabel('Action').fill('team.create');
  await expect(page.getByRole('row', { name: /team\.updateSettings/ })).toHaveCount(0);
  await expect(page.getByRole('row', { name: /team\.create/ })).toBeVisible();
  await page.getByLabel('Action').fill('');

  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText(/Chain intact: \d+ entries verified/)).toBeVisible();
  await snap(page, 'audit');
});
