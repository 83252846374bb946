import { cn } from '../../components/ui/cn.ts';
import { diffAudit } from './lib/audit-diff.ts';

export function AuditDiffView({ before, after }: { before: unknown; after: unknown }) {
  const rows = diffAudit(before, after);
  if (rows.length === 0)
    return <p className="text-sm text-muted-foreground">This entry records no field values.</p>;
  return (
    <table className="w-full font-mono text-xs">
      <thead>
        <tr className="text-left text-muted-foreground">
          <th className="py-1 pr-4 font-medium">field</th>
          <th className="py-1 pr-4 font-medium">before</th>
          <th className="py-1 font-medium">after</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.key}
            data-change={row.kind}
            className={cn(row.kind === 'same' && 'text-muted-foreground')}
          >
            <td className="py-1 pr-4 align-top">{row.key}</td>
            <td
              className={cn(
                'py-1 pr-4 align-top break-all',
                (row.kind === 'removed' || row.kind === 'changed') && 'bg-destructive/10 text-destructive',
              )}
            >
              {row.before ?? ''}
            </td>
            <td
              className={cn(
                'py-1 align-top break-all',
                (row.kind === 'added' || row.kind === 'changed') && 'bg-success/10 text-success',
              )}
            >
              {row.after ?? ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
