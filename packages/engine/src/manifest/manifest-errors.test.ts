import { describe, expect, it } from 'vitest';
import { formatIssue, isOrbitError, type OrbitError } from '../errors.ts';
import { parseManifest } from './parse-manifest.ts';

const FILE = '/srv/orbit/orbit.manifest.toml';

function failure(text: string, env: Record<string, string | undefined> = {}): OrbitError {
  try {
    parseManifest(text, { file: FILE, env });
  } catch (error) {
    if (isOrbitError(error)) return error;
    throw error;
  }
  throw new Error('expected the manifest to be rejected');
}

/** Each issue as the CLI prints it, without the file prefix to keep the expectations short. */
function problems(text: string, env: Record<string, string | undefined> = {}): string[] {
  return failure(text, env).issues.map((issue) => formatIssue(issue).replace(`${FILE}:`, ''));
}

const JOB_A = '[[job]]\nname = "a"\nsource = "/a"\ndestination = "/b"\n';

describe('manifest errors: syntax', () => {
  it('reports a TOML syntax error at its line and column', () => {
    const error = failure('[[job]]\nname = "a"\nsource = \n');
    expect(error.code).toBe('MANIFEST_SYNTAX');
    expect(error.location).toEqual({ file: FILE, line: 3, column: 10 });
    expect(error.format()).toBe(
      `${FILE}:3:10: TOML syntax error: invalid value\n  hint: fix the TOML at this position (see https://toml.io for the syntax)`,
    );
  });

  it('reports a redefined key as a syntax error', () => {
    const error = failure(`${JOB_A}name = "b"\n`);
    expect(error.code).toBe('MANIFEST_SYNTAX');
    expect(error.location.line).toBe(5);
  });
});

describe('manifest errors: schema', () => {
  it('rejects unknown keys with a did-you-mean at the key', () => {
    expect(problems(`[defaults]\ncompresion = "zstd"\n\n${JOB_A}dependson = ["x"]\n`)).toEqual([
      '2:1: defaults.compresion: unknown key "compresion" in defaults\n  hint: did you mean "compression"?',
      '8:1: job[0].dependson: unknown key "dependson" in job[0]\n  hint: did you mean "depends_on"?',
    ]);
  });

  it('says when a job key belongs in [defaults] and lists keys when nothing is close', () => {
    expect(problems(`${JOB_A}concurrency = 2\nzzzzzzzzzz = 1\n`)).toEqual([
      '5:1: job[0].concurrency: unknown key "concurrency" in job[0]\n  hint: "concurrency" can only be set in [defaults]',
      '6:1: job[0].zzzzzzzzzz: unknown key "zzzzzzzzzz" in job[0]\n  hint: allowed keys: name, source, destination, include, exclude, mode, delete, compression, checksum, depends_on, resume, chunking, pack_size, schedule',
    ]);
  });

  it('reports unknown keys inside inline tables at their own column', () => {
    expect(
      problems('[[job]]\nname = "a"\nsource = "/a"\ndestination = { star = "nas", paht = "/x" }\n'),
    ).toEqual([
      '4:1: job[0].destination.path: missing required key "path"\n  hint: use an absolute path on that Star, e.g. "/srv/data"',
      '4:31: job[0].destination.paht: unknown key "paht" in job[0].destination\n  hint: did you mean "path"?',
    ]);
  });

  it('reports missing required keys at the job header', () => {
    expect(problems('[[job]]\nname = "a"\n\n[[job]]\nsource = "/x"\ndestination = "/y"\n')).toEqual([
      '1:1: job[0].source: missing required key "source"\n  hint: use a path string, or a table { star = "nas-01", path = "/srv/data" }',
      '1:1: job[0].destination: missing required key "destination"\n  hint: use a path string, or a table { star = "nas-01", path = "/srv/data" }',
      '4:1: job[1].name: missing required key "name"\n  hint: job names use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit, e.g. "photos-nightly"',
    ]);
  });

  it('requires at least one [[job]] and rejects [job] written as a single table', () => {
    expect(problems('[defaults]\nresume = true\n')).toEqual(
      [
        'job: missing required key "job"\n  hint: declare each job in its own [[job]] table with at least name, source and destination',
      ].map((line) => `1:1: ${line}`),
    );
    expect(problems('[job]\nname = "a"\nsource = "/a"\ndestination = "/b"\n')[0]).toBe(
      '1:1: job: expected array, got a table\n  hint: declare each job in its own [[job]] table with at least name, source and destination',
    );
  });

  it('rejects bad values with the allowed choices and a suggestion', () => {
    const text = `[defaults]
checksum = "md5"
compression = "zstd:25"
concurrency = 0
plan_visualisation = "svg"

[[job]]
name = "Photos"
source = "/a"
destination = "/b"
mode = "mirorr"
resume = "yes"
`;
    expect(problems(text)).toEqual([
      '2:1: defaults.checksum: the string "md5" is not allowed here (expected "blake3", "sha256", "none")\n  hint: use "blake3" (default), "sha256" or "none"',
      '3:1: defaults.compression: zstd level 25 is out of range\n  hint: use a level from 1 to 19, e.g. "zstd:3"',
      '4:1: defaults.concurrency: must be at least 1, got 0\n  hint: use a whole number of jobs to run at once, at least 1',
      '5:1: defaults.plan_visualisation: the string "svg" is not allowed here (expected "text", "json", "dot")\n  hint: use "text" (default), "json" or "dot"',
      '8:1: job[0].name: the string "Photos" has the wrong format\n  hint: job names use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit, e.g. "photos-nightly"',
      '11:1: job[0].mode: the string "mirorr" is not allowed here (expected "copy", "mirror", "archive")\n  hint: did you mean "mirror"?',
      '12:1: job[0].resume: expected boolean, got the string "yes"\n  hint: use true or false',
    ]);
    expect(failure(text).code).toBe('MANIFEST_INVALID');
  });

  it('validates chunking with the chunker’s own rules', () => {
    expect(problems(`[defaults.chunking]\nmin = 4096\navg = 3000\nmax = 8192\n\n${JOB_A}`)).toEqual([
      '1:1: defaults.chunking: invalid chunking: sizes must satisfy min ≤ avg ≤ max; avgSize must be a power of two (e.g. 1048576)\n  hint: the defaults are min 262144, avg 1048576, max 4194304',
    ]);
    expect(problems(`${JOB_A}chunking = { min = 0 }\n`)).toEqual([
      '5:14: job[0].chunking.min: must be more than 0, got 0\n  hint: use a whole number of bytes, e.g. 262144 for 256 KiB',
    ]);
  });

  it('rejects malformed cron schedules', () => {
    expect(problems(`${JOB_A}schedule = "61 * * * *"\n`)).toEqual([
      '5:1: job[0].schedule: cron minute field "61": "61" is not a number from 0 to 59\n  hint: use five cron fields: minute hour day-of-month month day-of-week, e.g. "30 2 * * *"',
    ]);
  });

  it('rejects delete outside mirror mode', () => {
    expect(problems(`${JOB_A}delete = true\n`)).toEqual([
      '5:1: job[0].delete: "delete" only applies to mirror jobs, and this job\'s mode is "copy"\n  hint: remove "delete", or set mode = "mirror"',
    ]);
    expect(problems(`${JOB_A}mode = "archive"\ndelete = false\n`)[0]).toContain(
      'this job\'s mode is "archive"',
    );
  });

  it('requires absolute paths on Stars', () => {
    expect(
      problems('[[job]]\nname = "a"\nsource = { star = "nas-01", path = "data" }\ndestination = "/b"\n'),
    ).toEqual([
      '3:29: job[0].source.path: path "data" on Star "nas-01" must be absolute\n  hint: relative paths only make sense on this machine; write it from / on the Star, e.g. "/srv/data"',
    ]);
  });
});

describe('manifest errors: environment', () => {
  it('names the unset variable, its line and key, and how to set it', () => {
    const error = failure(`[[job]]\nname = "a"\nsource = "\${DATA_ROOT}/in"\ndestination = "/b"\n`);
    expect(error.code).toBe('MANIFEST_ENV');
    expect(error.format()).toBe(
      `${FILE}:3:1: job[0].source: environment variable DATA_ROOT is not set\n  hint: set it before running (e.g. export DATA_ROOT=...), or write $\${DATA_ROOT} for a literal \${DATA_ROOT}`,
    );
  });

  it('points at the exact list element or inline-table key that holds the placeholder', () => {
    const text = `[[job]]\nname = "a"\nsource = { star = "nas", path = "/\${ROOT}" }\ndestination = "/b"\nexclude = ["x", "\${SKIP}"]\n`;
    expect(failure(text, {}).issues.map((issue) => `${issue.line}:${issue.column} ${issue.keyPath}`)).toEqual(
      ['3:26 job[0].source.path', '5:17 job[0].exclude[1]'],
    );
  });

  it('rejects a malformed placeholder and ~ without HOME', () => {
    expect(problems(`[[job]]\nname = "a"\nsource = "\${1BAD}"\ndestination = "~/b"\n`)).toEqual([
      `3:1: job[0].source: "\${1BAD}" is not a valid environment placeholder\n  hint: write \${NAME} with letters, digits and _ (not starting with a digit), or $\${ for a literal \${`,
    ]);
    expect(problems('[[job]]\nname = "a"\nsource = "/a"\ndestination = "~/b"\n')).toEqual([
      '4:1: job[0].destination: "~/b" starts with ~ but HOME is not set to an absolute path\n  hint: set HOME, or write the path out in full',
    ]);
  });
});

describe('manifest errors: dependencies', () => {
  it('reports duplicate names, self-dependencies and unknown targets with did-you-mean', () => {
    const text = `${JOB_A}
[[job]]
name = "photos"
source = "/p"
destination = "/q"
depends_on = ["a", "fotos", "photos", "zzzzzz"]

[[job]]
name = "a"
source = "/x"
destination = "/y"
`;
    expect(problems(text)).toEqual([
      '10:20: job[1].depends_on[1]: depends_on names "fotos", which is not a job in this manifest\n  hint: known jobs: a, photos',
      '10:29: job[1].depends_on[2]: job "photos" depends on itself\n  hint: remove it from depends_on',
      '10:39: job[1].depends_on[3]: depends_on names "zzzzzz", which is not a job in this manifest\n  hint: known jobs: a, photos',
      '13:1: job[2].name: job name "a" is already used by job[0]\n  hint: give every job a unique name',
    ]);
  });

  it('reports a dependency listed twice', () => {
    const text = `${JOB_A}\n[[job]]\nname = "b"\nsource = "/x"\ndestination = "/y"\ndepends_on = ["a", "a"]\n`;
    expect(problems(text)).toEqual([
      '10:20: job[1].depends_on[1]: "a" is listed twice in depends_on\n  hint: remove the repeat',
    ]);
  });

  it('reports unknown keys in [defaults.chunking] with a suggestion', () => {
    expect(problems(`[defaults.chunking]\naverage = 1048576\n\n${JOB_A}`)).toEqual([
      '2:1: defaults.chunking.average: unknown key "average" in defaults.chunking\n  hint: allowed keys: min, avg, max',
    ]);
    expect(problems(`${JOB_A}chunking.mx = 8\n`)).toEqual([
      '5:1: job[0].chunking.mx: unknown key "mx" in job[0].chunking\n  hint: did you mean "max"?',
    ]);
  });

  it('suggests the closest other job for a misspelt dependency', () => {
    const text = `[[job]]\nname = "photos"\nsource = "/p"\ndestination = "/q"\n\n[[job]]\nname = "b"\nsource = "/x"\ndestination = "/y"\ndepends_on = ["fotos"]\n`;
    expect(problems(text)).toEqual([
      '10:15: job[1].depends_on[0]: depends_on names "fotos", which is not a job in this manifest\n  hint: did you mean "photos"?',
    ]);
  });

  it('prints a dependency cycle as a → b → c → a', () => {
    const job = (name: string, dep: string, n: number) =>
      `[[job]]\nname = "${name}"\nsource = "/s${n}"\ndestination = "/d${n}"\ndepends_on = ["${dep}"]\n`;
    const error = failure(job('a', 'b', 1) + job('b', 'c', 2) + job('c', 'a', 3));
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.issues).toEqual([
      {
        file: FILE,
        line: 5,
        column: 1,
        keyPath: 'job[0].depends_on',
        message: 'dependency cycle: a → b → c → a',
        hint: 'each arrow reads "depends on"; remove one of these depends_on entries to break the cycle',
      },
    ]);
  });
});

describe('manifest errors: loops', () => {
  it('rejects a destination inside its own source', () => {
    const error = failure('[[job]]\nname = "a"\nsource = "/data"\ndestination = "/data/backup"\n');
    expect(error.code).toBe('PATH_OVERLAP');
    expect(error.format()).toBe(
      `${FILE}:4:1: job[0].destination: destination /data/backup is inside the job's own source /data: it would copy its own output\n  hint: move the destination outside the source, or add exclude = ["backup/**"]`,
    );
  });

  it('rejects a destination equal to the source', () => {
    expect(problems('[[job]]\nname = "a"\nsource = "/data"\ndestination = "/data/"\n')).toEqual([
      "4:1: job[0].destination: destination /data is inside the job's own source /data: it would copy its own output\n  hint: use a destination outside the source",
    ]);
  });

  it('rejects a destination inside another job’s source unless that job waits for it', () => {
    const text = `[[job]]
name = "a"
source = "/data"
destination = "/backup"

[[job]]
name = "b"
source = "/backup"
destination = "/data/restore"
`;
    expect(problems(text)).toEqual([
      '4:1: job[0].destination: destination /backup is inside the source of job "b" (/backup), which would copy this job\'s output\n  hint: add depends_on = ["a"] to job "b" if it should read the finished output, or move the destination',
      '9:1: job[1].destination: destination /data/restore is inside the source of job "a" (/data), which would copy this job\'s output\n  hint: add depends_on = ["b"] to job "a" if it should read the finished output, add exclude = ["restore/**"] to it, or move the destination',
    ]);
  });

  it('rejects a source inside another job’s destination unless one of the two waits for the other', () => {
    const text = (order: string) => `[[job]]
name = "backup"
source = "/data"
destination = "/backup"

[[job]]
name = "report"
source = "/backup/logs"
destination = "/reports"
${order}`;
    expect(problems(text(''))).toEqual([
      '8:1: job[1].source: source /backup/logs is inside the destination of job "backup" (/backup), which writes into it while this job reads it\n  hint: add depends_on = ["backup"] to job "report" if it should read that job\'s finished output, or move the source',
    ]);
    const after = parseManifest(text('depends_on = ["backup"]\n'), { file: FILE, env: {} });
    expect(after.jobs.map((job) => job.name)).toEqual(['backup', 'report']);
    const readFirst = text('').replace(
      'destination = "/backup"\n',
      'destination = "/backup"\ndepends_on = ["report"]\n',
    );
    expect(parseManifest(readFirst, { file: FILE, env: {} }).jobs[0]?.dependsOn).toEqual(['report']);
  });

  it('rejects a mirror with delete whose destination contains its source', () => {
    expect(
      problems(
        '[[job]]\nname = "a"\nsource = "/data/in"\ndestination = "/data"\nmode = "mirror"\ndelete = true\n',
      ),
    ).toEqual([
      '6:1: job[0].delete: mirror with delete would remove its own source /data/in, which lies inside the destination /data\n  hint: choose a destination that does not contain the source, or drop delete = true',
    ]);
    const keep =
      '[[job]]\nname = "a"\nsource = "/data/in"\ndestination = "/data"\nmode = "mirror"\ndelete = false\n';
    expect(parseManifest(keep, { file: FILE, env: {} }).jobs[0]?.delete).toBe(false);
  });

  it('does not accept an exclude that only covers the top level of the folder', () => {
    expect(
      problems('[[job]]\nname = "a"\nsource = "/data"\ndestination = "/data/out"\nexclude = ["out/*"]\n'),
    ).toHaveLength(1);
  });
});

describe('manifest errors: many at once', () => {
  it('still checks valid jobs when another part of the file is invalid', () => {
    const text = `[defaults]
concurrency = "many"

[[job]]
name = "broken"
source = "/a"
destination = "/b"
mode = "teleport"

[[job]]
name = "copy-with-delete"
source = "/data"
destination = "/data/out"
delete = true

[[job]]
name = "unset"
source = "\${NOPE}"
destination = "/x"
`;
    expect(failure(text).issues.map((issue) => `${issue.line}:${issue.column} ${issue.keyPath}`)).toEqual([
      '2:1 defaults.concurrency',
      '8:1 job[0].mode',
      '13:1 job[1].destination',
      '14:1 job[1].delete',
      '18:1 job[2].source',
    ]);
  });

  it('reports every problem, sorted by position, one per line in the message', () => {
    const error = failure(`[defaults]
concurrency = 0

[[job]]
name = "a"
source = "\${MISSING}"
destination = "/b"
depends_on = ["nope"]
`);
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.issues.map((issue) => issue.keyPath)).toEqual([
      'defaults.concurrency',
      'job[0].source',
      'job[0].depends_on[0]',
    ]);
    expect(error.message.split('\n')).toEqual([
      '3 problems found:',
      `  ${FILE}:2:1: defaults.concurrency: must be at least 1, got 0`,
      '    hint: use a whole number of jobs to run at once, at least 1',
      `  ${FILE}:6:1: job[0].source: environment variable MISSING is not set`,
      `    hint: set it before running (e.g. export MISSING=...), or write $\${MISSING} for a literal \${MISSING}`,
      `  ${FILE}:8:15: job[0].depends_on[0]: depends_on names "nope", which is not a job in this manifest`,
      '    hint: known jobs: a',
    ]);
    expect(error.format()).toBe(error.message);
    expect(error.toJSON().issues).toHaveLength(3);
  });
});
