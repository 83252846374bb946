'use client';

import { DEFAULT_CHECKSUM } from '@orbit/engine/hashing/checksum-algorithm';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Select } from '../../components/ui/select.tsx';
import { CHECKSUMS, COMPRESSION_CHOICES } from '../jobs/lib/job-options.ts';
import { ChoiceOptions } from '../shell/choice-options.tsx';
import { Field } from '../shell/field.tsx';
import { notifyError, notifySuccess } from '../shell/notify.ts';
import { QueryView } from '../shell/query-view.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { useCan } from '../shell/use-can.ts';

export function TeamSettingsForm() {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCan('team.updateSettings');
  const current = useQuery(trpc.team.get.queryOptions({ teamSlug: team.slug }));
  const save = useMutation(
    trpc.team.updateSettings.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.team.pathFilter());
        await queryClient.invalidateQueries(trpc.me.pathFilter());
        notifySuccess('Team settings saved');
      },
      onError: notifyError('Could not save the settings'),
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      teamSlug: team.slug,
      name: String(form.get('name') ?? ''),
      settings: {
        defaultCompression: String(form.get('compression') ?? 'none'),
        defaultChecksum: CHECKSUMS.find((value) => value === form.get('checksum')) ?? DEFAULT_CHECKSUM,
        defaultConcurrency: Number(form.get('concurrency') ?? 4),
      },
    });
  }
  return (
    <QueryView query={current}>
      {(data) => (
        <Card>
          <CardHeader>
            <CardTitle>Team settings</CardTitle>
            <CardDescription>
              The team's name and the defaults new jobs start from. Slug:{' '}
              <code className="font-mono">{data.slug}</code>
            </CardDescription>
          </CardHeader>
          <CardContent>
            <form className="grid max-w-xl gap-4" onSubmit={submit}>
              <fieldset disabled={!canEdit || save.isPending} className="grid gap-4">
                <Field id="team-name" label="Name">
                  <Input id="team-name" name="name" defaultValue={data.name} required maxLength={80} />
                </Field>
                <div className="grid grid-cols-3 gap-4">
                  <Field id="team-compression" label="Compression">
                    <Select
                      id="team-compression"
                      name="compression"
                      defaultValue={data.settings.defaultCompression}
                    >
                      <ChoiceOptions choices={COMPRESSION_CHOICES} />
                    </Select>
                  </Field>
                  <Field id="team-checksum" label="Checksum">
                    <Select id="team-checksum" name="checksum" defaultValue={data.settings.defaultChecksum}>
                      <ChoiceOptions choices={CHECKSUMS} />
                    </Select>
                  </Field>
                  <Field id="team-concurrency" label="Concurrency">
                    <Input
                      id="team-concurrency"
                      name="concurrency"
                      type="number"
                      min={1}
                      max={64}
                      defaultValue={data.settings.defaultConcurrency}
                    />
                  </Field>
                </div>
              </fieldset>
              {canEdit ? (
                <Button type="submit" className="justify-self-start" disabled={save.isPending}>
                  Save settings
                </Button>
              ) : (
                <p className="text-sm text-muted-foreground">Only the team owner can change these.</p>
              )}
            </form>
          </CardContent>
        </Card>
      )}
    </QueryView>
  );
}
