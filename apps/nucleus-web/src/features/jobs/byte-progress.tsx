import { Progress } from '../../components/ui/progress.tsx';
import { formatBytes, percent } from '../shell/lib/format.ts';

/**
 * A compact bar with "done / total" bytes under it, for one run or one file in a table cell.
 * `complete` fills the bar when there were no bytes to move (an empty file that is done).
 */
export function ByteProgress({
  done,
  total,
  label,
  complete = false,
}: {
  done: number;
  total: number;
  label: string;
  complete?: boolean;
}) {
  return (
    <div className="grid gap-1">
      <Progress value={complete ? 100 : percent(done, total)} label={label} />
      <span className="text-xs text-muted-foreground tabular-nums">
        {formatBytes(done)} / {formatBytes(total)}
      </span>
    </div>
  );
}
