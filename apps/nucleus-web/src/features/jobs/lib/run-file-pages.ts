import { RUN_FILE_STATUSES, type RunFileStatusName } from '../../../server/runs/run-file-status.ts';

/** The run page's Files card: how it names statuses, which filters it offers, where its pages are. */

export type FileFilter = 'all' | RunFileStatusName;

const LABELS: Record<FileFilter, string> = {
  all: 'All',
  pending: 'Waiting',
  running: 'In progress',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};

export interface FilterChoice {
  readonly value: FileFilter;
  readonly label: string;
  readonly count: number;
}

/**
 * "All" and each status some file has, with its count from the database; the selected one stays
 * offered at 0 (its last file moved on) so the choice does not vanish under the user.
 */
export function filterChoices(
  counts: { readonly total: number; readonly byStatus: Readonly<Record<RunFileStatusName, number>> },
  selected: FileFilter,
): FilterChoice[] {
  return [
    { value: 'all', label: LABELS.all, count: counts.total },
    ...RUN_FILE_STATUSES.filter((status) => counts.byStatus[status] > 0 || status === selected).map(
      (status) => ({ value: status, label: LABELS[status], count: counts.byStatus[status] }),
    ),
  ];
}

/** The cursors of the pages before the one shown: empty on the first page. */
export type PageTrail = readonly string[];

export function nextPage(trail: PageTrail, nextCursor: string): PageTrail {
  return [...trail, nextCursor];
}

export function previousPage(trail: PageTrail): PageTrail {
  return trail.slice(0, -1);
}

/** The cursor that starts the page shown; undefined on the first page. */
export function cursorOf(trail: PageTrail): string | undefined {
  return trail[trail.length - 1];
}

/** "51–100 of 1,234": the files shown, counted from 1, out of those the filter covers. */
export function pageRange(
  trail: PageTrail,
  pageSize: number,
  shown: number,
  total: number | undefined,
): string {
  const first = trail.length * pageSize + 1;
  const range =
    shown === 0 ? '0' : `${first.toLocaleString('en')}–${(first + shown - 1).toLocaleString('en')}`;
  return total === undefined ? range : `${range} of ${total.toLocaleString('en')}`;
}
