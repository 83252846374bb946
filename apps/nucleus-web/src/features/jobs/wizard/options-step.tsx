import { isChecksumAlgorithm } from '@orbit/engine/hashing/checksum-algorithm';
import { Input } from '../../../components/ui/input.tsx';
import { Label } from '../../../components/ui/label.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { Switch } from '../../../components/ui/switch.tsx';
import { ChoiceOptions } from '../../shell/choice-options.tsx';
import { Field } from '../../shell/field.tsx';
import type { JobDraft } from '../lib/job-draft.ts';
import { CHECKSUMS, COMPRESSION_CHOICES, JOB_MODES, MODE_DESCRIPTIONS } from '../lib/job-options.ts';

export function OptionsStep({
  draft,
  onChange,
}: {
  draft: JobDraft;
  onChange: (patch: Partial<JobDraft>) => void;
}) {
  return (
    <div className="grid gap-5">
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">Mode</legend>
        <div className="grid gap-2 md:grid-cols-3">
          {JOB_MODES.map((mode) => (
            <label
              key={mode}
              className="flex cursor-pointer flex-col gap-1 rounded-md border p-3 text-sm has-[:checked]:border-primary has-[:checked]:bg-accent"
            >
              <span className="flex items-center gap-2 font-medium">
                <input
                  type="radio"
                  name="mode"
                  value={mode}
                  checked={draft.mode === mode}
                  onChange={() => onChange({ mode })}
                />
                {mode}
              </span>
              <span className="text-xs text-muted-foreground">{MODE_DESCRIPTIONS[mode]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {draft.mode === 'mirror' ? (
        <div className="flex items-center gap-3">
          <Switch
            id="delete"
            checked={draft.deleteExtraneous}
            onCheckedChange={(checked) => onChange({ deleteExtraneous: checked })}
          />
          <Label htmlFor="delete">Delete destination files the source no longer has</Label>
        </div>
      ) : null}
      <div className="grid gap-4 md:grid-cols-3">
        <Field id="compression" label="Compression">
          <Select
            id="compression"
            value={draft.compression}
            onChange={(event) => onChange({ compression: event.target.value })}
          >
            <ChoiceOptions
              choices={
                COMPRESSION_CHOICES.some((choice) => choice.value === draft.compression)
                  ? COMPRESSION_CHOICES
                  : [...COMPRESSION_CHOICES, draft.compression]
              }
            />
          </Select>
        </Field>
        <Field id="checksum" label="Checksum">
          <Select
            id="checksum"
            value={draft.checksum}
            onChange={(event) => {
              if (isChecksumAlgorithm(event.target.value)) onChange({ checksum: event.target.value });
            }}
          >
            <ChoiceOptions choices={CHECKSUMS} />
          </Select>
        </Field>
        <Field id="concurrency" label="Concurrency (files in flight)">
          <Input
            id="concurrency"
            type="number"
            min={1}
            max={64}
            value={draft.concurrency}
            onChange={(event) => onChange({ concurrency: Number(event.target.value) })}
          />
        </Field>
      </div>
    </div>
  );
}
