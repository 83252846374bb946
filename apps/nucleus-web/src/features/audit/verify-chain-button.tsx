'use client';

import { useMutation } from '@tanstack/react-query';
import { ShieldAlert, ShieldCheck } from 'lucide-react';
import { Button } from '../../components/ui/button.tsx';
import { errorMessage } from '../shell/lib/error-message.ts';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';

/** Re-computes the team's hash chain on the server and shows the verdict next to the button. */
export function VerifyChainButton() {
  const team = useTeam();
  const trpc = useTRPC();
  const verify = useMutation(trpc.audit.verify.mutationOptions());
  return (
    <div className="flex items-center gap-3">
      {verify.data ? (
        verify.data.ok ? (
          <span role="status" className="flex items-center gap-1.5 text-sm text-success">
            <ShieldCheck className="size-4" />
            Chain intact: {verify.data.checked} entries verified
          </span>
        ) : (
          <span role="alert" className="flex items-center gap-1.5 text-sm text-destructive">
            <ShieldAlert className="size-4" />
            Chain broken at entry {verify.data.firstBadId} after {verify.data.checked} checked
          </span>
        )
      ) : null}
      {verify.isError ? (
        <span role="alert" className="text-sm text-destructive">
          {errorMessage(verify.error)}
        </span>
      ) : null}
      <Button
        variant="outline"
        disabled={verify.isPending}
        onClick={() => verify.mutate({ teamSlug: team.slug })}
      >
        <ShieldCheck />
        Verify chain
      </Button>
    </div>
  );
}
