'use client';

import type * as React from 'react';
import { Table, TableBody, TableHead, TableHeader, TableRow } from '../../components/ui/table.tsx';
import { type QueryLike, QueryView } from './query-view.tsx';

export interface TableColumn {
  readonly label: string;
  readonly className?: string;
}

/** The right-aligned last column that holds a row's buttons. */
export const ACTIONS_COLUMN: TableColumn = { label: 'Actions', className: 'text-right' };

type RowProps = Omit<React.ComponentProps<typeof TableRow>, 'children'>;

/**
 * A list query drawn as a table: loading, error and empty states come from QueryView, the header from
 * `columns`, and each row's cells from `children`, so every list page behaves and looks alike.
 */
export function QueryTable<Row>({
  query,
  columns,
  empty,
  rowKey,
  rowProps,
  children,
}: {
  query: QueryLike<readonly Row[]>;
  columns: readonly TableColumn[];
  empty: React.ReactNode;
  rowKey: (row: Row) => string;
  rowProps?: (row: Row) => RowProps;
  children: (row: Row) => React.ReactNode;
}) {
  return (
    <QueryView query={query} isEmpty={(rows) => rows.length === 0} empty={empty}>
      {(rows) => (
        <Table>
          <TableHeader>
            <TableRow>
              {columns.map((column) => (
                <TableHead key={column.label} className={column.className}>
                  {column.label}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={rowKey(row)} {...rowProps?.(row)}>
                {children(row)}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </QueryView>
  );
}
