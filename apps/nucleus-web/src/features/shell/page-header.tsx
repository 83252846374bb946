import type * as React from 'react';
import { Breadcrumb, type BreadcrumbItem } from '../../components/ui/breadcrumb.tsx';

export function PageHeader({
  title,
  description,
  breadcrumb,
  actions,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  breadcrumb?: readonly BreadcrumbItem[];
  actions?: React.ReactNode;
}) {
  return (
    <header className="flex flex-col gap-3 border-b pb-5">
      {breadcrumb ? <Breadcrumb items={breadcrumb} /> : null}
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
        </div>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
    </header>
  );
}
