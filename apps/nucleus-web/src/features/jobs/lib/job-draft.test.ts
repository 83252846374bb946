import { describe, expect, it } from 'vitest';
import { draftProblems, draftToInput, EMPTY_DRAFT, globLines } from './job-draft.ts';

const valid = {
  ...EMPTY_DRAFT,
  name: 'photos',
  sourceStarId: 'star-a',
  sourcePath: '/srv/photos',
  destinationStarId: 'star-b',
  destinationPath: '/backup/photos',
};

describe('draftProblems', () => {
  it('accepts a complete draft at every step', () => {
    for (let step = 0; step < 7; step++) expect(draftProblems(valid, step)).toEqual([]);
  });

  it('rejects a bad name and a relative source', () => {
    expect(draftProblems({ ...valid, name: 'Photos!', sourcePath: 'srv' }, 0)).toEqual([
      'Name: use lowercase letters, digits, ".", "_" or "-", starting with a letter or digit.',
      'Source path must be absolute (start with "/").',
    ]);
  });

  it('rejects a destination inside the source on the same Star only', () => {
    const nested = { ...valid, destinationStarId: 'star-a', destinationPath: '/srv/photos/copy' };
    expect(draftProblems(nested, 1)).toEqual([
      'Destination is inside the source on the same Star: the job would copy its own output.',
    ]);
    expect(draftProblems({ ...nested, destinationPath: '/srv/photos-copy' }, 1)).toEqual([]);
    expect(draftProblems({ ...nested, destinationStarId: 'star-b' }, 1)).toEqual([]);
  });

  it('bounds concurrency and checks the cron shape', () => {
    expect(draftProblems({ ...valid, concurrency: 0 }, 3)).toEqual([
      'Concurrency must be a whole number from 1 to 64.',
    ]);
    expect(draftProblems({ ...valid, schedule: '0 25 * * *' }, 5)).toEqual([
      'Schedule: cron hour field "25": "25" is not a number from 0 to 23.',
    ]);
  });
});

describe('draftToInput', () => {
  it('splits globs per line, nulls empty Stars and schedule, and keeps delete for mirror only', () => {
    const input = draftToInput({
      ...valid,
      sourceStarId: '',
      include: ' *.jpg \n\n*.png',
      mode: 'copy',
      deleteExtraneous: true,
    });
    expect(input).toMatchObject({
      sourceStarId: null,
      include: ['*.jpg', '*.png'],
      schedule: null,
      options: {},
    });
    expect(draftToInput({ ...valid, mode: 'mirror', deleteExtraneous: true }).options).toEqual({
      delete: true,
    });
  });

  it('ignores blank glob lines', () => {
    expect(globLines('\n  \n')).toEqual([]);
  });
});
