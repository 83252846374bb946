import { Progress } from '../../components/ui/progress.tsx';
import { formatBytes, percent } from '../shell/lib/format.ts';

/** A compact bar with "done / total" bytes under it, for one run or one file in a table cell. */
export function ByteProgress({ done, total, label }: { done: number; total: number; label: string }) {
  return (
    <div className="grid gap-1">
      <Progress value={percent(done, total)} label={label} />
      <span className="text-xs text-muted-foreground tabular-nums">
        {formatBytes(done)} / {formatBytes(total)}
      </span>
    </div>
  );
}
