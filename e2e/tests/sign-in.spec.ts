import { expect, test } from '@playwright/test';
import { E2E_ADMIN, E2E_FIRST_TEAM } from '../support/e2e-env.ts';
import { signIn, signOut, snap } from '../support/session.ts';

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('Email or password is incorrect.');
  await expect(page).toHaveURL(/\/sign-in/);
  await snap(page, 'sign-in-error');
});

test('pages need a session', async ({ page }) => {
  await page.goto(`/t/${E2E_FIRST_TEAM}/jobs`);
  await expect(page).toHaveURL(/\/sign-in/);
});

test('the admin signs in to the first team, sees the dashboard and signs out', async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(`/t/${E2E_FIRST_TEAM}/dashboard`);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('Stars online')).toBeVisible();
  await expect(page.getByText('Nothing is running right now.')).toBeVisible();
  await snap(page, 'dashboard');
  await signOut(page);
  await page.goto(`/t/${E2E_FIRST_TEAM}/dashboard`);
  await expect(page).toHaveURL(/\/sign-in/);
});
