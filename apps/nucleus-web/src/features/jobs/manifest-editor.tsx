'use client';

import { useRef } from 'react';
import { cn } from '../../components/ui/cn.ts';
import { type ManifestProblem, problemsByLine } from './lib/manifest-problems.ts';

const LINE = 'leading-6';

/**
 * A textarea over a line-numbered mirror of the same text: the mirror paints failing lines red, so
 * problems show where they are while the user keeps typing in an ordinary, accessible textarea.
 */
export function ManifestEditor({
  value,
  onChange,
  problems,
}: {
  value: string;
  onChange: (value: string) => void;
  problems: readonly ManifestProblem[];
}) {
  const lines = value.split('\n');
  const { byLine } = problemsByLine(problems, lines.length);
  const mirror = useRef<HTMLDivElement>(null);
  const gutter = useRef<HTMLDivElement>(null);

  return (
    <div className="relative flex h-[28rem] overflow-hidden rounded-md border bg-background font-mono text-xs">
      <div
        ref={gutter}
        aria-hidden
        className="w-12 shrink-0 overflow-hidden border-r bg-muted/50 py-2 text-right"
      >
        {lines.map((_, index) => {
          const failing = byLine.has(index + 1);
          return (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: a line number is the line's identity
              key={index}
              data-failing-line={failing ? index + 1 : undefined}
              className={cn(
                LINE,
                'pr-2 text-muted-foreground',
                failing && 'bg-destructive/15 font-semibold text-destructive',
              )}
            >
              {index + 1}
            </div>
          );
        })}
      </div>
      <div className="relative flex-1">
        <div ref={mirror} aria-hidden className="pointer-events-none absolute inset-0 overflow-hidden py-2">
          {lines.map((line, index) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: a line number is the line's identity
              key={index}
              className={cn(
                LINE,
                'whitespace-pre px-3 text-transparent',
                byLine.has(index + 1) && 'bg-destructive/15',
              )}
              title={byLine
                .get(index + 1)
                ?.map((problem) => problem.message)
                .join('\n')}
            >
              {line || ' '}
            </div>
          ))}
        </div>
        <textarea
          aria-label="Manifest (TOML)"
          spellCheck={false}
          wrap="off"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onScroll={(event) => {
            const { scrollTop, scrollLeft } = event.currentTarget;
            if (mirror.current) {
              mirror.current.scrollTop = scrollTop;
              mirror.current.scrollLeft = scrollLeft;
            }
            if (gutter.current) gutter.current.scrollTop = scrollTop;
          }}
          className={cn(
            LINE,
            'absolute inset-0 h-full w-full resize-none bg-transparent px-3 py-2 outline-none',
          )}
        />
      </div>
    </div>
  );
}
