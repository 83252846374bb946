/**
 * smol-toml returns values without positions, so this scanner walks the (already valid) TOML
 * text once and records where every key path starts: table headers, `key =` lines, inline-table
 * keys and array elements. Key paths read like `defaults.chunking.min`, `job[2].depends_on[0]`;
 * indexes are 0-based, counted in file order.
 */

export interface SourcePosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export type SourceMap = Readonly<Record<string, SourcePosition>>;

export type KeyPathSegment = string | number;

export function formatKeyPath(segments: readonly KeyPathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** The nearest recorded position of `keyPath` or of its closest recorded parent; else line 1. */
export function positionOf(map: SourceMap, keyPath: string): SourcePosition {
  let path = keyPath;
  while (path !== '') {
    const found = map[path];
    if (found) return found;
    path = path.replace(/(\[\d+\]|\.?[^.[\]]+)$/, '');
  }
  return { line: 1, column: 1 };
}

const BARE_KEY = /[A-Za-z0-9_-]/;

/** Builds the key-path → position map. Only call it on text that parsed as TOML. */
export function buildSourceMap(text: string): SourceMap {
  const map: Record<string, SourcePosition> = {};
  const arrayTableIndex = new Map<string, number>();
  let pos = 0;
  let line = 1;
  let column = 1;
  let tablePrefix = '';

  const here = (): SourcePosition => ({ line, column });
  const record = (path: string, at: SourcePosition) => {
    if (!(path in map)) map[path] = at;
  };
  const advance = (count = 1) => {
    for (let i = 0; i < count && pos < text.length; i++) {
      if (text[pos] === '\n') {
        line++;
        column = 1;
      } else column++;
      pos++;
    }
  };
  const skipBlank = (newlines: boolean) => {
    while (pos < text.length) {
      const char = text[pos];
      if (char === ' ' || char === '\t' || char === '\r' || (newlines && char === '\n')) advance();
      else if (char === '#') while (pos < text.length && text[pos] !== '\n') advance();
      else break;
    }
  };
  const skipString = () => {
    const quote = text[pos] ?? '"';
    const triple = text.startsWith(quote.repeat(3), pos);
    const close = triple ? quote.repeat(3) : quote;
    advance(close.length);
    while (pos < text.length && !text.startsWith(close, pos)) {
      if (quote === '"' && text[pos] === '\\') advance();
      if (!triple && text[pos] === '\n') return;
      advance();
    }
    advance(close.length);
    // A triple-quoted string may end with up to two extra quotes that belong to its content.
    while (triple && text[pos] === quote) advance();
  };
  const readKey = (): string[] => {
    const segments: string[] = [];
    for (;;) {
      skipBlank(false);
      const char = text[pos];
      if (char === '"' || char === "'") {
        const start = pos;
        skipString();
        segments.push(text.slice(start + 1, pos - 1));
      } else {
        const start = pos;
        while (pos < text.length && BARE_KEY.test(text[pos] ?? '')) advance();
        if (pos === start) break;
        segments.push(text.slice(start, pos));
      }
      skipBlank(false);
      if (text[pos] !== '.') break;
      advance();
    }
    return segments;
  };
  const resolveTable = (segments: readonly string[], isArrayTable: boolean): string => {
    let path = '';
    segments.forEach((segment, index) => {
      path = formatKeyPath([path, segment].filter((part) => part !== ''));
      const last = index === segments.length - 1;
      if (last && isArrayTable) {
        const next = (arrayTableIndex.get(path) ?? -1) + 1;
        arrayTableIndex.set(path, next);
        path = `${path}[${next}]`;
      } else {
        const current = arrayTableIndex.get(path);
        if (current !== undefined) path = `${path}[${current}]`;
      }
    });
    return path;
  };
  const scanValue = (path: string) => {
    const char = text[pos];
    if (char === '"' || char === "'") return skipString();
    if (char === '[') {
      advance();
      for (let index = 0; pos < text.length; index++) {
        skipBlank(true);
        if (text[pos] === ']') break;
        record(`${path}[${index}]`, here());
        scanValue(`${path}[${index}]`);
        skipBlank(true);
        if (text[pos] !== ',') break;
        advance();
      }
      return advance();
    }
    if (char === '{') {
      advance();
      while (pos < text.length) {
        skipBlank(true);
        if (text[pos] === '}') break;
        const at = here();
        const key = formatKeyPath([path, ...readKey()]);
        record(key, at);
        skipBlank(false);
        advance(); // '='
        skipBlank(false);
        scanValue(key);
        skipBlank(true);
        if (text[pos] !== ',') break;
        advance();
      }
      return advance();
    }
    while (pos < text.length && !',]}\n#'.includes(text[pos] ?? '')) advance();
  };

  while (pos < text.length) {
    skipBlank(true);
    if (pos >= text.length) break;
    const at = here();
    if (text[pos] === '[') {
      const isArrayTable = text[pos + 1] === '[';
      advance(isArrayTable ? 2 : 1);
      tablePrefix = resolveTable(readKey(), isArrayTable);
      record(tablePrefix.replace(/\[\d+\]$/, ''), at);
      record(tablePrefix, at);
      while (pos < text.length && text[pos] !== '\n') advance();
      continue;
    }
    const segments = readKey();
    if (segments.length === 0) {
      advance();
      continue;
    }
    const full = [tablePrefix, ...segments].filter((part) => part !== '');
    // A dotted key (`chunking.min = 1`) also defines its parent tables here.
    for (let length = full.length - segments.length + 1; length <= full.length; length++) {
      record(formatKeyPath(full.slice(0, length)), at);
    }
    const key = formatKeyPath(full);
    skipBlank(false);
    advance(); // '='
    skipBlank(false);
    scanValue(key);
  }
  return map;
}
