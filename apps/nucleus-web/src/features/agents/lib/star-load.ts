/** A Star reports load as named numbers (e.g. cpu 0.42, activeRuns 2); fractions below 1 read as percentages. */
export function formatLoad(load: Readonly<Record<string, number>> | null): string {
  if (!load) return '—';
  const entries = Object.entries(load);
  if (entries.length === 0) return '—';
  return entries
    .map(([key, value]) =>
      Number.isInteger(value) ? `${key} ${value}` : `${key} ${Math.round(value * 100)}%`,
    )
    .join(' · ');
}
