import { Check } from 'lucide-react';
import { cn } from './cn.ts';

export function Stepper({
  steps,
  current,
  onSelect,
}: {
  steps: readonly string[];
  current: number;
  onSelect?: (index: number) => void;
}) {
  return (
    <ol className="flex flex-wrap items-center gap-2 text-sm">
      {steps.map((step, index) => {
        const done = index < current;
        const active = index === current;
        return (
          <li key={step} className="flex items-center gap-2">
            <button
              type="button"
              disabled={!onSelect || index > current}
              onClick={() => onSelect?.(index)}
              aria-current={active ? 'step' : undefined}
              className={cn(
                'flex items-center gap-2 rounded-full px-2 py-1 disabled:cursor-default',
                active ? 'font-medium text-foreground' : 'text-muted-foreground',
              )}
            >
              <span
                className={cn(
                  'flex size-6 items-center justify-center rounded-full border text-xs',
                  done && 'border-primary bg-primary text-primary-foreground',
                  active && 'border-primary',
                )}
              >
                {done ? <Check className="size-3.5" /> : index + 1}
              </span>
              {step}
            </button>
            {index < steps.length - 1 ? <span className="h-px w-6 bg-border" /> : null}
          </li>
        );
      })}
    </ol>
  );
}
