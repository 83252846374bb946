import { expect, type Page } from '@playwright/test';

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Generous: the first visit of a page may compile it (next dev) or boot the database.
  await expect(page).toHaveURL(/\/t\/[^/]+\/dashboard$/, { timeout: 45_000 });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'User menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** Saves a screenshot under e2e/artifacts/screens/ (gitignored) for people to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${__dirname}/../artifacts/screens/${name}.png`, fullPage: true });
}

/** A toast's title; exact, because the toast region also announces it to screen readers. */
export function toastTitled(page: Page, title: string) {
  return page.getByText(title, { exact: true });
}
