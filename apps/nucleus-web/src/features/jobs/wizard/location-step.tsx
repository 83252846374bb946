'use client';

import { useQuery } from '@tanstack/react-query';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { ChoiceOptions } from '../../shell/choice-options.tsx';
import { Field } from '../../shell/field.tsx';
import { useTeam } from '../../shell/team-context.tsx';
import { useTRPC } from '../../shell/trpc.ts';
import { DirectoryBrowser } from './directory-browser.tsx';

/** Picks a Star and a folder on it; used for both the source and the destination step. */
export function LocationStep({
  side,
  starId,
  path,
  onChange,
}: {
  side: 'source' | 'destination';
  starId: string;
  path: string;
  onChange: (next: { starId: string; path: string }) => void;
}) {
  const team = useTeam();
  const trpc = useTRPC();
  const stars = useQuery(trpc.star.list.queryOptions({ teamSlug: team.slug }));
  const title = side === 'source' ? 'Source' : 'Destination';
  return (
    <div className="grid gap-4">
      <Field id={`${side}-star`} label={`${title} Star`}>
        <Select
          id={`${side}-star`}
          value={starId}
          onChange={(event) => onChange({ starId: event.target.value, path })}
        >
          <option value="">Unassigned (choose a Star later)</option>
          <ChoiceOptions
            choices={(stars.data ?? []).map((star) => ({
              value: star.id,
              label: `${star.name} (${star.status})`,
            }))}
          />
        </Select>
        {stars.data?.length === 0 ? (
          <p className="text-xs text-muted-foreground">
            No Star has joined this team yet. Add one under Agents; until then the job is saved unassigned.
          </p>
        ) : null}
      </Field>
      <Field id={`${side}-path`} label={`${title} path`}>
        <Input
          id={`${side}-path`}
          className="font-mono"
          placeholder={side === 'source' ? '/srv/data' : '/backup/data'}
          value={path}
          onChange={(event) => onChange({ starId, path: event.target.value })}
        />
      </Field>
      <DirectoryBrowser starId={starId} path={path} onNavigate={(next) => onChange({ starId, path: next })} />
    </div>
  );
}
