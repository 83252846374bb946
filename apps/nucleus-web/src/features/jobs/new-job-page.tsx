'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { toast } from '../../components/ui/toast.tsx';
import { errorMessage } from '../shell/lib/error-message.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { draftToInput, EMPTY_DRAFT } from './lib/job-draft.ts';
import { JobWizard } from './wizard/job-wizard.tsx';

export function NewJobPage() {
  const team = useTeam();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.job.create.mutationOptions({
      onSuccess: async (job) => {
        await queryClient.invalidateQueries(trpc.job.pathFilter());
        toast({ tone: 'success', title: `Job “${job.name}” created` });
        router.push(`/t/${team.slug}/jobs/${job.id}`);
      },
    }),
  );
  return (
    <>
      <PageHeader
        title="New job"
        breadcrumb={[{ label: 'Jobs', href: `/t/${team.slug}/jobs` }, { label: 'New job' }]}
        description="Where the files come from, where they go, and how."
      />
      <JobWizard
        initial={EMPTY_DRAFT}
        submitLabel="Create job"
        submitting={create.isPending}
        serverError={create.isError ? errorMessage(create.error) : null}
        onSubmit={(draft) => create.mutate({ teamSlug: team.slug, ...draftToInput(draft) })}
      />
    </>
  );
}
