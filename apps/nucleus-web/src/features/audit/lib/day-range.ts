/**
 * Turns the date inputs (YYYY-MM-DD, local days) into an inclusive ISO range: `to` covers its whole
 * day, so picking the same day twice shows that day's entries.
 */
export function dayRange(from: string, to: string): { from?: string; to?: string } {
  const range: { from?: string; to?: string } = {};
  if (/^\d{4}-\d{2}-\d{2}$/.test(from)) range.from = new Date(`${from}T00:00:00`).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) {
    const end = new Date(`${to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    range.to = new Date(end.getTime() - 1).toISOString();
  }
  return range;
}
