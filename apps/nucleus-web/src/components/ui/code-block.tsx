'use client';

import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from './button.tsx';
import { cn } from './cn.ts';

/**
 * Shows a secret or command with a copy button. Long tokens wrap instead of widening their dialog.
 * Copying needs a secure context; on plain http the text is selected instead so the user can copy it.
 */
export function CodeBlock({ code, label, className }: { code: string; label?: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  const [preId] = useState(() => `code-${Math.random().toString(36).slice(2)}`);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      const node = document.getElementById(preId);
      if (node) window.getSelection()?.selectAllChildren(node);
    }
  }

  return (
    <div className={cn('relative min-w-0 rounded-md border bg-muted/60', className)}>
      <pre
        id={preId}
        className="p-3 pr-12 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap"
        data-label={label}
      >
        {code}
      </pre>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="absolute top-1.5 right-1.5 size-7"
        onClick={() => void copy()}
        aria-label={copied ? 'Copied' : `Copy ${label ?? 'to clipboard'}`}
      >
        {copied ? <Check /> : <Copy />}
      </Button>
    </div>
  );
}
