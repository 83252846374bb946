import { randomBytes } from 'node:crypto';
import { type Browser, expect, type Page } from '@playwright/test';
import { signIn } from './session.ts';
import { trpcMutation } from './trpc.ts';

/** A team of the signed-in user's own, so each test starts from nothing and never sees another's rows. */
export async function createTeam(page: Page, label: string): Promise<string> {
  const slug = `${label}-${randomBytes(3).toString('hex')}`;
  await trpcMutation(page.request, 'team.create', { name: `${label} team`, slug });
  return slug;
}

export interface Member {
  readonly email: string;
  readonly password: string;
  readonly page: Page;
}

/**
 * Invites a new person through the Admin screen and accepts the link in a fresh browser context, as
 * the invited person would; returns that person's signed-in page.
 */
export async function inviteAndAccept(
  ownerPage: Page,
  browser: Browser,
  teamSlug: string,
  role: 'owner' | 'admin' | 'operator' | 'viewer',
): Promise<Member> {
  const email = `${role}-${randomBytes(3).toString('hex')}@orbit.test`;
  const password = `pw-${randomBytes(10).toString('hex')}`;
  await ownerPage.goto(`/t/${teamSlug}/admin?tab=invitations`);
  await ownerPage.getByRole('button', { name: 'Invite member' }).click();
  const dialog = ownerPage.getByRole('dialog');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Role').selectOption(role);
  await dialog.getByRole('button', { name: 'Create invitation' }).click();
  const link = (await dialog.locator('pre').textContent())?.trim() ?? '';
  expect(link).toContain('/invite?token=');
  await dialog.getByRole('button', { name: 'Done' }).click();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await page.getByLabel('Your name').fill(`Test ${role}`);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat password').fill(password);
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${teamSlug}/dashboard$`), { timeout: 45_000 });
  return { email, password, page };
}

export { signIn };
