import { countOf, formatBytes } from '../../shell/lib/format.ts';
import type { RouterOutputs } from '../../shell/trpc.ts';

type Run = RouterOutputs['run']['get'];
type Transfer = NonNullable<Run['transfer']>;

/** One sentence of what a run did; `key` names it for React and for tests. */
export interface SummaryLine {
  readonly key: string;
  readonly text: string;
}

/**
 * What the run did beyond its progress line, in words, from the figures the dispatcher recorded.
 * A line whose figure the run does not have (another mode, nothing of that kind, an older run) is
 * left out rather than shown as 0.
 */
export function runSummaryLines(run: Run): SummaryLine[] {
  const step = run.copy ?? run.mirror;
  const candidates: (SummaryLine | null)[] = [
    run.transfer ? filesLine(run.transfer) : null,
    run.transfer ? chunkingLine(run.transfer) : null,
    run.transfer ? wireLine(run.transfer) : null,
    run.mirrorReplaced ? replacedLine(run.mirrorReplaced) : null,
    run.hardLinks ? hardLinksLine(run.hardLinks) : null,
    step && step.placed > 0
      ? {
          key: 'placed',
          text: `${countOf(step.placed, 'folder or symlink', 'folders and symlinks')} created at the destination.`,
        }
      : null,
    run.mirror ? mirrorLine(run.mirror) : null,
    run.copy && run.copy.symlinksSkipped > 0 ? { key: 'symlinks', text: linksNote(run.copy) } : null,
  ];
  return candidates.filter((line): line is SummaryLine => line !== null);
}

function filesLine({ filesSent, filesUnchanged }: Transfer): SummaryLine | null {
  if (filesSent === null) return null;
  const unchanged = filesUnchanged ?? 0;
  const upToDate = `${countOf(unchanged, 'file')} already up to date at the destination`;
  if (filesSent === 0 && unchanged > 0) return { key: 'files', text: `Nothing to send: ${upToDate}.` };
  return {
    key: 'files',
    text: `${countOf(filesSent, 'file')} sent${unchanged > 0 ? `; ${upToDate}` : ''}.`,
  };
}

/**
 * How the source was read: a file the destination had an earlier version of is compared along that
 * version's chunk list (only hashed), and only around the changes cut into new chunks.
 */
function chunkingLine({ cutBytes, guidedBytes }: Transfer): SummaryLine | null {
  if (guidedBytes !== null && guidedBytes > 0) {
    return {
      key: 'chunking',
      text: `${formatBytes(guidedBytes)} compared along the destination’s previous version, ${formatBytes(cutBytes ?? 0)} re-chunked.`,
    };
  }
  if (cutBytes !== null && cutBytes > 0)
    return { key: 'chunking', text: `${formatBytes(cutBytes)} of the source split into chunks.` };
  return null;
}

function wireLine({ wireBytes, newBytes }: Transfer): SummaryLine | null {
  if (wireBytes === null) return null;
  const data = newBytes === null ? '' : ` (${formatBytes(newBytes)} of data the destination did not have)`;
  return { key: 'wire', text: `${formatBytes(wireBytes)} on the wire between the Stars${data}.` };
}

function replacedLine(replaced: NonNullable<Run['mirrorReplaced']>): SummaryLine {
  const left =
    replaced.notRemoved > 0
      ? `; ${countOf(replaced.notRemoved, 'entry', 'entries')} could not be removed`
      : '';
  return {
    key: 'replaced',
    text: `${countOf(replaced.paths, 'path')} held another kind of entry at the destination than at the source and ${replaced.paths === 1 ? 'was' : 'were'} replaced (${countOf(replaced.removed, 'entry', 'entries')} removed${left}).`,
  };
}

function hardLinksLine(links: NonNullable<Run['hardLinks']>): SummaryLine {
  const parts = [
    `${countOf(links.linked, 'hard link')} placed`,
    links.unchanged > 0 ? `${links.unchanged.toLocaleString('en')} already in place` : '',
    links.copies > 0
      ? `${countOf(links.copies, 'copy', 'copies')} instead where the destination cannot hard-link`
      : '',
    links.failed > 0 ? `${links.failed.toLocaleString('en')} failed` : '',
  ];
  return { key: 'hardLinks', text: `${parts.filter(Boolean).join(', ')}.` };
}

/** Symlinks the destination Star reported instead of creating them (it places them on Linux only). */
function linksNote(step: { symlinksSkipped: number; skippedReason: string | null }): string {
  const reason =
    step.skippedReason?.replace(/^symlink not created: /, '') ?? 'the Star could not create them';
  return `${countOf(step.symlinksSkipped, 'symlink')} not created: ${reason}.`;
}

/**
 * What a mirror did at the destination after the files arrived: the paths only there, removed or
 * kept; nothing when there were none.
 */
function mirrorLine(mirror: NonNullable<Run['mirror']>): SummaryLine | null {
  if (mirror.skipped)
    return { key: 'mirror', text: `Nothing removed at the destination: ${mirror.skipped}.` };
  const left =
    mirror.notRemoved > 0 ? `; ${mirror.notRemoved.toLocaleString('en')} could not be removed` : '';
  const extra =
    mirror.extraneous === 0
      ? ''
      : mirror.delete
        ? `${countOf(mirror.removed, 'path')} the source no longer has removed from the destination${left}.`
        : `${countOf(mirror.extraneous, 'path')} only at the destination, kept (delete is off).`;
  const text = [extra, mirror.symlinksSkipped > 0 ? linksNote(mirror) : ''].filter(Boolean).join(' ');
  return text ? { key: 'mirror', text } : null;
}
