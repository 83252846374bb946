'use client';

import { CircleAlert, CircleCheck, X } from 'lucide-react';
import { Toast as ToastPrimitive } from 'radix-ui';
import { useSyncExternalStore } from 'react';
import { cn } from './cn.ts';

export interface ToastMessage {
  readonly id: number;
  readonly title: string;
  readonly description?: string;
  readonly tone: 'success' | 'error';
}

// A tiny module-level store so any component (or mutation callback) can raise a toast without context.
let messages: readonly ToastMessage[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function toast(input: Omit<ToastMessage, 'id'>): void {
  messages = [...messages, { ...input, id: nextId++ }];
  emit();
}

function dismiss(id: number): void {
  messages = messages.filter((message) => message.id !== id);
  emit();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const noMessages: readonly ToastMessage[] = [];

export function Toaster() {
  const current = useSyncExternalStore(
    subscribe,
    () => messages,
    () => noMessages,
  );
  return (
    <ToastPrimitive.Provider swipeDirection="right" duration={5000}>
      {current.map((message) => (
        <ToastPrimitive.Root
          key={message.id}
          onOpenChange={(open) => {
            if (!open) dismiss(message.id);
          }}
          className={cn(
            'flex items-start gap-3 rounded-lg border bg-popover p-4 text-popover-foreground shadow-lg',
            message.tone === 'error' && 'border-destructive/40',
          )}
        >
          {message.tone === 'success' ? (
            <CircleCheck className="mt-0.5 size-4 text-success" />
          ) : (
            <CircleAlert className="mt-0.5 size-4 text-destructive" />
          )}
          <div className="grid flex-1 gap-1">
            <ToastPrimitive.Title className="text-sm font-medium">{message.title}</ToastPrimitive.Title>
            {message.description ? (
              <ToastPrimitive.Description className="text-sm text-muted-foreground">
                {message.description}
              </ToastPrimitive.Description>
            ) : null}
          </div>
          <ToastPrimitive.Close aria-label="Dismiss" className="opacity-60 hover:opacity-100">
            <X className="size-4" />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed right-0 bottom-0 z-[100] flex w-full max-w-sm flex-col gap-2 p-4 outline-none" />
    </ToastPrimitive.Provider>
  );
}
