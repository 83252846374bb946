import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../support/e2e-env.ts';
import { signIn, snap } from '../support/session.ts';
import { createTeam } from '../support/teams.ts';

test('an admin issues a join token, shown once with a copyable join command', async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const team = await createTeam(page, 'agents');
  await page.goto(`/t/${team}/agents`);
  await expect(page.getByText('No Star has joined this team yet')).toBeVisible();
  await expect(page.getByText('No join tokens')).toBeVisible();

  await page.getByRole('button', { name: 'Add Star' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name (optional)').fill('nas-01');
  await dialog.getByLabel('Valid for').selectOption('1 day');
  await dialog.getByRole('button', { name: 'Issue join token' }).click();

  await expect(dialog.getByText('this token is shown once')).toBeVisible();
  const command = (await dialog.locator('pre').first().textContent()) ?? '';
  const token = (await dialog.locator('pre').nth(1).textContent()) ?? '';
  expect(token.length).toBeGreaterThan(20);
  expect(command).toMatch(/\bjoin\b/);
  expect(command).toContain(`--token ${token}`);
  await expect(dialog.getByRole('button', { name: 'Copy join command' })).toBeVisible();
  await snap(page, 'join-token-issued');
  await dialog.getByRole('button', { name: 'Done' }).click();

  const row = page.getByRole('row', { name: /nas-01/ });
  await expect(row).toContainText('active');
  await expect(page.getByText(token)).toHaveCount(0);

  // Opening the dialog again offers a new token; the old one cannot be shown again.
  await page.getByRole('button', { name: 'Add Star' }).click();
  await expect(page.getByRole('dialog').getByRole('button', { name: 'Issue join token' })).toBeVisible();
  await page.keyboard.press('Escape');

  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke token' }).click();
  await expect(row).toContainText('revoked');
  await snap(page, 'agents');
});
