import type { ReactNode } from 'react';
import { Label } from '../../components/ui/label.tsx';

/** A form control under its label; `id` ties the label to the control, which carries the same id. */
export function Field({ id, label, children }: { id?: string; label: string; children: ReactNode }) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      {children}
    </div>
  );
}
