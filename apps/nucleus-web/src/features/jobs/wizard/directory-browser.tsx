'use client';

import { useQuery } from '@tanstack/react-query';
import { CornerLeftUp, File, Folder, PlugZap } from 'lucide-react';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { errorCode, errorMessage } from '../../shell/lib/error-message.ts';
import { formatBytes } from '../../shell/lib/format.ts';
import { ListSkeleton } from '../../shell/query-view.tsx';
import { useTeam } from '../../shell/team-context.tsx';
import { useTRPC } from '../../shell/trpc.ts';

function childOf(folder: string, name: string): string {
  return `${folder.replace(/\/+$/, '')}/${name}`;
}

function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return cut <= 0 ? '/' : trimmed.slice(0, cut);
}

/** Lists a folder on a Star, served live by that Star; the path field beside it always stays editable. */
export function DirectoryBrowser({
  starId,
  path,
  onNavigate,
}: {
  starId: string;
  path: string;
  onNavigate: (path: string) => void;
}) {
  const team = useTeam();
  const trpc = useTRPC();
  const folder = path.startsWith('/') ? path : '/';
  const listing = useQuery({
    ...trpc.star.browse.queryOptions({ teamSlug: team.slug, starId, path: folder }),
    enabled: starId !== '',
    retry: false,
  });

  if (starId === '') {
    return (
      <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground">
        No Star chosen: type the path it will have on the Star you assign later.
      </p>
    );
  }
  if (listing.isPending) return <ListSkeleton rows={3} />;
  if (listing.isError) {
    if (
      errorCode(listing.error) === 'SERVICE_UNAVAILABLE' ||
      errorCode(listing.error) === 'PRECONDITION_FAILED'
    ) {
      return (
        <div
          className="flex items-start gap-3 rounded-md border border-warning/40 bg-warning/5 p-4 text-sm"
          role="status"
        >
          <PlugZap className="mt-0.5 size-4 text-warning" />
          <div className="grid gap-1">
            <p className="font-medium">Star not connected</p>
            <p className="text-muted-foreground">
              {errorMessage(listing.error)}. Type the path by hand; it is checked when the Star runs the job.
            </p>
          </div>
        </div>
      );
    }
    return <ErrorState message={errorMessage(listing.error)} onRetry={() => void listing.refetch()} />;
  }
  return (
    <div className="max-h-64 overflow-y-auto rounded-md border">
      {folder !== '/' ? (
        <button
          type="button"
          onClick={() => onNavigate(parentOf(folder))}
          className="flex w-full items-center gap-2 border-b px-3 py-2 text-left text-sm hover:bg-accent"
        >
          <CornerLeftUp className="size-4" /> ..
        </button>
      ) : null}
      {listing.data.length === 0 ? (
        <p className="p-3 text-sm text-muted-foreground">This folder is empty.</p>
      ) : null}
      {listing.data.map((entry) =>
        entry.kind === 'directory' ? (
          <Button
            key={entry.name}
            type="button"
            variant="ghost"
            className="w-full justify-start rounded-none font-normal"
            onClick={() => onNavigate(childOf(folder, entry.name))}
          >
            <Folder className="text-info" />
            {entry.name}
          </Button>
        ) : (
          <div key={entry.name} className="flex items-center gap-2 px-4 py-2 text-sm text-muted-foreground">
            <File className="size-4" />
            <span className="flex-1 truncate">{entry.name}</span>
            <span className="tabular-nums">{formatBytes(entry.size)}</span>
          </div>
        ),
      )}
    </div>
  );
}
