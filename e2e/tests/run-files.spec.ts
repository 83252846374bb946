import { randomBytes } from 'node:crypto';
import { link, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { E2E_ADMIN } from '../support/e2e-env.ts';
import { joinStar } from '../support/grid-stars.ts';
import { signIn, snap } from '../support/session.ts';
import { test } from '../support/star-processes.ts';
import { createTeam } from '../support/teams.ts';
import { trpcMutation, trpcQuery } from '../support/trpc.ts';

/** More files than the Files card shows on a page (50), so it takes three pages. */
const MANY = 120;
/** The source's files: MANY numbered ones, a file with a second name (a hard link), one more. */
const FILES_TOTAL = MANY + 3;

interface RunView {
  readonly id: string;
  readonly state: string;
  readonly error: string | null;
}

/** Queues a run of the job and waits, through the API, until it has finished. */
async function runToTheEnd(page: Page, team: string, jobId: string): Promise<RunView> {
  const queued = await trpcMutation<RunView>(page.request, 'job.run', { teamSlug: team, jobId });
  let run = queued;
  await expect
    .poll(
      async () => {
        run = await trpcQuery<RunView>(page.request, 'run.get', { teamSlug: team, runId: queued.id });
        return ['succeeded', 'failed', 'cancelled'].includes(run.state);
      },
      { timeout: 120_000, intervals: [500, 1000] },
    )
    .toBe(true);
  return run;
}

/** The Files card's line under the table, e.g. "Files 51–100 of 123". */
function pageLine(page: Page) {
  return page.getByRole('navigation', { name: 'File pages' }).getByText(/^Files /);
}

function summary(page: Page, key: string) {
  return page.getByRole('list', { name: 'What the run did' }).locator(`[data-summary="${key}"]`);
}

test('a run of more files than a page: paging, filters by status and path, and what the run did', async ({
  page,
  starHost,
}) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const team = await createTeam(page, 'files');
  const roots = new Map<string, string>();
  for (const [name, access] of [
    ['alpha', 'ro'],
    ['beta', 'rw'],
  ] as const) {
    const issued = await trpcMutation<{ joinCommand: string | null }>(page.request, 'joinToken.issue', {
      teamSlug: team,
      name,
    });
    if (!issued.joinCommand) throw new Error('the Nucleus gave no join command: is its grid running?');
    const joined = await joinStar(starHost, issued.joinCommand, name, access);
    starHost.start(['serve', '--config', joined.config]);
    roots.set(name, joined.root);
  }
  let listed: { id: string; name: string; status: string }[] = [];
  await expect
    .poll(
      async () => {
        listed = await trpcQuery(page.request, 'star.list', { teamSlug: team });
        return listed.filter((star) => star.status === 'online').length;
      },
      { timeout: 60_000 },
    )
    .toBe(2);
  const star = (name: string) => {
    const id = listed.find((candidate) => candidate.name === name)?.id;
    const root = roots.get(name);
    if (!id || !root) throw new Error(`Star ${name} did not join`);
    return { id, root };
  };
  const alpha = star('alpha');
  const beta = star('beta');

  const source = path.join(alpha.root, 'photos');
  for (let index = 0; index < MANY; index++) {
    const name = `many/file-${String(index).padStart(3, '0')}.bin`;
    await mkdir(path.dirname(path.join(source, name)), { recursive: true });
    await writeFile(path.join(source, name), randomBytes(1000 + index * 37));
  }
  await mkdir(path.join(source, 'links'), { recursive: true });
  await writeFile(path.join(source, 'links', 'original.bin'), randomBytes(64 * 1024));
  await link(path.join(source, 'links', 'original.bin'), path.join(source, 'links', 'alias.bin'));
  await writeFile(path.join(source, 'blocked.txt'), 'a copy cannot put this where a folder stands');
  // A copy replaces no entry of another kind: this file fails, the rest arrive.
  await mkdir(path.join(beta.root, 'copy', 'blocked.txt', 'inside'), { recursive: true });

  const copy = await trpcMutation<{ id: string }>(page.request, 'job.create', {
    teamSlug: team,
    name: 'photos-copy',
    sourceStarId: alpha.id,
    sourcePath: source,
    destinationStarId: beta.id,
    destinationPath: path.join(beta.root, 'copy'),
  });
  const copied = await runToTheEnd(page, team, copy.id);
  expect(copied.state, copied.error ?? '').toBe('failed');
  expect(copied.error).toMatch(new RegExp(`^1 of ${FILES_TOTAL} files failed; e\\.g\\. blocked\\.txt: `));

  await page.goto(`/t/${team}/runs/${copied.id}`);
  await expect(page.getByRole('heading', { name: 'Run of photos-copy' })).toBeVisible();
  // What the run did: the pushes in words, and the second name linked to the file that arrived.
  await expect(summary(page, 'files')).toHaveText(`${FILES_TOTAL - 2} files sent.`);
  await expect(summary(page, 'chunking')).toHaveText(/^\d[\d.]* [KM]iB of the source split into chunks\.$/);
  await expect(summary(page, 'wire')).toHaveText(/^\d[\d.]* [KM]iB on the wire between the Stars \(/);
  await expect(summary(page, 'hardLinks')).toHaveText('1 hard link placed.');

  const tabs = page.getByRole('tablist', { name: 'Files by status' });
  await expect(tabs.getByRole('tab')).toHaveText([`All${FILES_TOTAL}`, `Done${FILES_TOTAL - 1}`, 'Failed1']);
  await expect(pageLine(page)).toHaveText(`Files 1–50 of ${FILES_TOTAL}`);
  const rows = page.getByRole('table').first().getByRole('row');
  await expect(rows).toHaveCount(51);
  await expect(rows.nth(1)).toContainText('blocked.txt');
  await snap(page, 'run-files-first-page');

  const next = page.getByRole('button', { name: 'Next' });
  const previous = page.getByRole('button', { name: 'Previous' });
  await expect(previous).toBeDisabled();
  await next.click();
  await expect(pageLine(page)).toHaveText(`Files 51–100 of ${FILES_TOTAL}`);
  // Path order: blocked.txt, links/alias.bin, links/original.bin, then many/file-000 … file-119.
  await expect(rows.nth(1)).toContainText('many/file-047.bin');
  await next.click();
  await expect(pageLine(page)).toHaveText(`Files 101–${FILES_TOTAL} of ${FILES_TOTAL}`);
  await expect(rows).toHaveCount(FILES_TOTAL - 100 + 1);
  await expect(rows.last()).toContainText('many/file-119.bin');
  await expect(next).toBeDisabled();
  await previous.click();
  await expect(pageLine(page)).toHaveText(`Files 51–100 of ${FILES_TOTAL}`);

  // By status: the one failed file, with its cause; the filter starts again at its first page.
  await tabs.getByRole('tab', { name: /^Failed/ }).click();
  await expect(pageLine(page)).toHaveText('Files 1–1 of 1');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('blocked.txt');
  await expect(rows.nth(1).locator('[data-status="failed"]')).toBeVisible();
  // By path as well: nothing failed under links/; all of it arrived, the second name as a link.
  await page.getByLabel('Path contains').fill('LINKS/');
  await expect(page.getByText('No files match')).toBeVisible();
  await tabs.getByRole('tab', { name: /^All/ }).click();
  await expect(pageLine(page)).toHaveText('Files 1–2 of 2');
  await expect(rows.nth(1)).toContainText('links/alias.bin');
  await expect(rows.nth(1).locator('[data-status="done"]')).toBeVisible();
  await snap(page, 'run-files-filtered');

  // A mirror where the destination has a file at a path where the source has a folder: replaced.
  const mirrorRoot = path.join(beta.root, 'mirror');
  await mkdir(mirrorRoot, { recursive: true });
  await writeFile(path.join(mirrorRoot, 'links'), 'a file where the source has a folder');
  const mirror = await trpcMutation<{ id: string }>(page.request, 'job.create', {
    teamSlug: team,
    name: 'photos-mirror',
    mode: 'mirror',
    sourceStarId: alpha.id,
    sourcePath: source,
    destinationStarId: beta.id,
    destinationPath: mirrorRoot,
  });
  const mirrored = await runToTheEnd(page, team, mirror.id);
  expect(mirrored.state, mirrored.error ?? '').toBe('succeeded');
  await page.goto(`/t/${team}/runs/${mirrored.id}`);
  await expect(summary(page, 'replaced')).toHaveText(
    '1 path held another kind of entry at the destination than at the source and was replaced (1 entry removed).',
  );
  await expect(summary(page, 'hardLinks')).toHaveText('1 hard link placed.');
  // Nothing was only at the destination: no line about what a mirror keeps or removes there.
  await expect(summary(page, 'mirror')).toHaveCount(0);
  await expect(tabs.getByRole('tab')).toHaveText([`All${FILES_TOTAL}`, `Done${FILES_TOTAL}`]);
  await snap(page, 'run-files-mirror');
});
