'use client';

import { DEFAULT_CHECKSUM, isChecksumAlgorithm } from '@orbit/engine/hashing/checksum-algorithm';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams, useRouter } from 'next/navigation';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { errorMessage } from '../shell/lib/error-message.ts';
import { notifySuccess } from '../shell/notify.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { QueryView } from '../shell/query-view.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { draftToInput, type JobDraft } from './lib/job-draft.ts';
import { JobWizard } from './wizard/job-wizard.tsx';

export function EditJobPage() {
  const { jobId } = useParams<{ jobId: string }>();
  const team = useTeam();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const job = useQuery(trpc.job.get.queryOptions({ teamSlug: team.slug, jobId }));
  const update = useMutation(
    trpc.job.update.mutationOptions({
      onSuccess: async (saved) => {
        await queryClient.invalidateQueries(trpc.job.pathFilter());
        notifySuccess(`Job “${saved.name}” saved`);
        router.push(`/t/${team.slug}/jobs/${jobId}`);
      },
    }),
  );
  return (
    <>
      <PageHeader
        title={`Edit ${job.data?.name ?? 'job'}`}
        breadcrumb={[
          { label: 'Jobs', href: `/t/${team.slug}/jobs` },
          { label: job.data?.name ?? 'Job', href: `/t/${team.slug}/jobs/${jobId}` },
          { label: 'Edit' },
        ]}
      />
      <QueryView query={job} loading={<Skeleton className="h-96 w-full" />}>
        {(data) => {
          const initial: JobDraft = {
            name: data.name,
            sourceStarId: data.sourceStar?.id ?? '',
            sourcePath: data.sourcePath,
            destinationStarId: data.destinationStar?.id ?? '',
            destinationPath: data.destinationPath,
            include: data.include.join('\n'),
            exclude: data.exclude.join('\n'),
            mode: data.mode,
            deleteExtraneous: data.options.delete === true,
            compression: data.compression,
            checksum: isChecksumAlgorithm(data.checksum) ? data.checksum : DEFAULT_CHECKSUM,
            concurrency: data.concurrency,
            dependsOn: data.dependsOn.map((dependency) => dependency.id),
            schedule: data.schedule ?? '',
          };
          return (
            <JobWizard
              initial={initial}
              editingId={jobId}
              submitLabel="Save changes"
              submitting={update.isPending}
              serverError={update.isError ? errorMessage(update.error) : null}
              onSubmit={(draft) => update.mutate({ teamSlug: team.slug, jobId, ...draftToInput(draft) })}
            />
          );
        }}
      </QueryView>
    </>
  );
}
