import { Badge, type BadgeVariant } from '../../components/ui/badge.tsx';

/** Every status word the API returns (run states, Star status and lifecycle, file status) and its colour. */
const TONES: Record<string, BadgeVariant> = {
  queued: 'secondary',
  planning: 'info',
  running: 'info',
  succeeded: 'success',
  failed: 'destructive',
  cancelled: 'outline',
  online: 'success',
  offline: 'secondary',
  registered: 'outline',
  scheduled: 'info',
  draining: 'warning',
  shutdown: 'secondary',
  pending: 'secondary',
  done: 'success',
  skipped: 'outline',
  active: 'success',
  expired: 'secondary',
  revoked: 'destructive',
  used: 'outline',
  accepted: 'success',
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <Badge variant={TONES[status] ?? 'outline'} data-status={status}>
      {label ?? status}
    </Badge>
  );
}
