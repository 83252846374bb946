import { createHash } from 'node:crypto';

/**
 * The receiver's state files (resume journal, chunk-list cache) are named after their target and
 * made of `<sha256 prefix> <json>` lines, so a torn or damaged line is found on read, not trusted.
 */
export function stateFileName(target: string, extension: string): string {
  return `${sha256(target).slice(0, 32)}.${extension}`;
}

export function checkedLine(record: unknown): string {
  const json = JSON.stringify(record);
  return `${sha256(json).slice(0, 16)} ${json}\n`;
}

/** The JSON of a line written by `checkedLine`, or undefined when the line is damaged. */
export function checkedJson(line: string): unknown {
  const space = line.indexOf(' ');
  if (space < 0) return undefined;
  const json = line.slice(space + 1);
  if (sha256(json).slice(0, 16) !== line.slice(0, space)) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
