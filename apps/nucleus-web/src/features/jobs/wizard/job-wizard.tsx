'use client';

import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, ArrowRight, LoaderCircle } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Card, CardContent } from '../../../components/ui/card.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Stepper } from '../../../components/ui/stepper.tsx';
import { Field } from '../../shell/field.tsx';
import { useTeam } from '../../shell/team-context.tsx';
import { useTRPC } from '../../shell/trpc.ts';
import { draftProblems, type JobDraft, WIZARD_STEPS } from '../lib/job-draft.ts';
import { DependenciesStep } from './dependencies-step.tsx';
import { FilterStep } from './filter-step.tsx';
import { LocationStep } from './location-step.tsx';
import { OptionsStep } from './options-step.tsx';
import { ReviewStep } from './review-step.tsx';
import { ScheduleStep } from './schedule-step.tsx';

/** The step-by-step job form for creating and editing; the caller decides what "save" does. */
export function JobWizard({
  initial,
  editingId,
  submitLabel,
  submitting,
  serverError,
  onSubmit,
}: {
  initial: JobDraft;
  editingId?: string;
  submitLabel: string;
  submitting: boolean;
  serverError: string | null;
  onSubmit: (draft: JobDraft) => void;
}) {
  const team = useTeam();
  const trpc = useTRPC();
  const stars = useQuery(trpc.star.list.queryOptions({ teamSlug: team.slug }));
  const starNames = new Map((stars.data ?? []).map((star) => [star.id, star.name]));
  const [draft, setDraft] = useState(initial);
  const [step, setStep] = useState(0);
  const [showProblems, setShowProblems] = useState(false);
  const problems = draftProblems(draft, step);
  const last = step === WIZARD_STEPS.length - 1;
  const patch = (next: Partial<JobDraft>): void => setDraft((current) => ({ ...current, ...next }));

  function next(): void {
    if (problems.length > 0) {
      setShowProblems(true);
      return;
    }
    setShowProblems(false);
    if (last) onSubmit(draft);
    else setStep(step + 1);
  }

  return (
    <div className="grid gap-6">
      <Stepper steps={WIZARD_STEPS} current={step} onSelect={setStep} />
      <Card>
        <CardContent className="grid gap-5">
          <h2 className="text-lg font-semibold">{WIZARD_STEPS[step]}</h2>
          {step === 0 ? (
            <>
              <Field id="name" label="Job name">
                <Input
                  id="name"
                  className="font-mono"
                  placeholder="nightly-photos"
                  value={draft.name}
                  onChange={(event) => patch({ name: event.target.value })}
                />
              </Field>
              <LocationStep
                side="source"
                starId={draft.sourceStarId}
                path={draft.sourcePath}
                onChange={({ starId, path }) => patch({ sourceStarId: starId, sourcePath: path })}
              />
            </>
          ) : null}
          {step === 1 ? (
            <LocationStep
              side="destination"
              starId={draft.destinationStarId}
              path={draft.destinationPath}
              onChange={({ starId, path }) => patch({ destinationStarId: starId, destinationPath: path })}
            />
          ) : null}
          {step === 2 ? <FilterStep draft={draft} onChange={patch} /> : null}
          {step === 3 ? <OptionsStep draft={draft} onChange={patch} /> : null}
          {step === 4 ? <DependenciesStep draft={draft} excludeId={editingId} onChange={patch} /> : null}
          {step === 5 ? <ScheduleStep draft={draft} onChange={patch} /> : null}
          {step === 6 ? <ReviewStep draft={draft} starNames={starNames} editingId={editingId} /> : null}
          {showProblems && problems.length > 0 ? (
            <ul
              role="alert"
              className="grid gap-1 rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm text-destructive"
            >
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          ) : null}
          {serverError && last ? (
            <p
              role="alert"
              className="rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm text-destructive"
            >
              {serverError}
            </p>
          ) : null}
          <div className="flex justify-between border-t pt-4">
            <Button type="button" variant="outline" disabled={step === 0} onClick={() => setStep(step - 1)}>
              <ArrowLeft />
              Back
            </Button>
            <Button type="button" onClick={next} disabled={submitting}>
              {submitting ? <LoaderCircle className="animate-spin" /> : null}
              {last ? submitLabel : 'Next'}
              {last ? null : <ArrowRight />}
            </Button>
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
