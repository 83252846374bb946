import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TableCell } from '../../components/ui/table.tsx';
import { ACTIONS_COLUMN, QueryTable } from './query-table.tsx';
import type { QueryLike } from './query-view.tsx';

interface Fruit {
  id: string;
  name: string;
}

function render(query: QueryLike<readonly Fruit[]>): string {
  return renderToStaticMarkup(
    <QueryTable
      query={query}
      columns={[{ label: 'Fruit' }, ACTIONS_COLUMN]}
      rowKey={(fruit) => fruit.id}
      rowProps={(fruit) => ({ className: `row-${fruit.id}` })}
      empty={<p>No fruit yet</p>}
    >
      {(fruit) => (
        <>
          <TableCell>{fruit.name}</TableCell>
          <TableCell />
        </>
      )}
    </QueryTable>,
  );
}

const settled = { isPending: false, isError: false, error: null, refetch: () => undefined };

describe('QueryTable', () => {
  it('shows a loading placeholder while the query is pending', () => {
    const html = render({ ...settled, isPending: true, data: undefined });
    expect(html).toContain('aria-busy="true"');
    expect(html).not.toContain('<table');
  });

  it('shows the error and a retry button when the query fails', () => {
    const html = render({ ...settled, isError: true, error: new Error('database is down'), data: undefined });
    expect(html).toContain('role="alert"');
    expect(html).toContain('database is down');
    expect(html).toContain('Try again');
  });

  it('shows the empty state for an empty list', () => {
    const html = render({ ...settled, data: [] });
    expect(html).toContain('No fruit yet');
    expect(html).not.toContain('<table');
  });

  it('draws the header from the columns and one row per item', () => {
    const html = render({
      ...settled,
      data: [
        { id: 'a', name: 'apple' },
        { id: 'p', name: 'pear' },
      ],
    });
    expect(html.match(/<th /g)).toHaveLength(2);
    expect(html).toMatch(/<th class="[^"]*text-right[^"]*">Actions<\/th>/);
    expect(html).toMatch(/<tr class="[^"]*row-a[^"]*"><td[^>]*>apple<\/td>/);
    expect(html).toContain('pear');
    expect(html).not.toContain('No fruit yet');
  });
});
