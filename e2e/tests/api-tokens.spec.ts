import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../support/e2e-env.ts';
import { signIn, snap, toastTitled } from '../support/session.ts';
import { createTeam } from '../support/teams.ts';

test('a viewer-role API token reads through /api/v1 but is refused writes, and stops at revocation', async ({
  page,
  playwright,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const team = await createTeam(page, 'tokens');
  await page.goto(`/t/${team}/admin?tab=api-tokens`);
  await expect(page.getByText('No API tokens')).toBeVisible();
  await page.getByRole('button', { name: 'Create API token' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('ci-read');
  await dialog.getByLabel('Role').selectOption('viewer');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const token = ((await dialog.locator('pre').textContent()) ?? '').trim();
  expect(token).toMatch(/^orb_/);
  await snap(page, 'api-token-created');
  await dialog.getByRole('button', { name: 'Done' }).click();
  const row = page.getByRole('row', { name: /ci-read/ });
  await expect(row).toContainText('viewer');
  await expect(row).toContainText('never');

  // A separate client with nothing but the bearer token, as a script would call the API.
  const api = await playwright.request.newContext({
    baseURL: new URL(page.url()).origin,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  const list = await api.get('/api/v1/jobs');
  expect(list.status()).toBe(200);
  const create = await api.post('/api/v1/jobs', {
    data: { name: 'from-ci', sourcePath: '/srv/a', destinationPath: '/srv/b' },
  });
  expect(create.status()).toBe(403);
  expect((await create.json()).error.code).toBe('FORBIDDEN');

  await page.reload();
  await expect(row).not.toContainText('never');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke token' }).click();
  await expect(toastTitled(page, 'API token revoked')).toBeVisible();
  await expect(row).toContainText('revoked');
  const afterRevoke = await api.get('/api/v1/jobs');
  expect(afterRevoke.status()).toBe(401);
  await api.dispose();
});
