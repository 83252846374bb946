import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChoiceOptions } from './choice-options.tsx';

describe('ChoiceOptions', () => {
  it('lists bare strings as their own label and pairs with their label', () => {
    const html = renderToStaticMarkup(
      <select>
        <ChoiceOptions choices={['viewer', { value: 60, label: '1 hour' }]} />
      </select>,
    );
    expect(html).toBe(
      '<select><option value="viewer">viewer</option><option value="60">1 hour</option></select>',
    );
  });
});
