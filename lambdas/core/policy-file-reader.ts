import { parse as parseCsvLine } from 'csv-parse/sync';
import type { Policy } from './policy.ts';
import {
  type CsvGroup,
  type CsvRecord,
  checkCsvHeader,
  type ImportFormat,
  type ImportRowError,
  MAX_LINE_BYTES,
  policyFromCsvGroup,
  policyFromJsonLine,
} from './policy-import.ts';

/**
 * Reads a policy file as a stream of validated policy versions and rejected rows, holding at most
 * one line (≤ MAX_LINE_BYTES) and one policy's cover rows in memory, so a file's size is bounded
 * by nothing but time.
 *
 * Records are one per line in both formats (no newlines inside CSV fields): a broken quote then
 * spoils its own line only, never the rest of the file, and line numbers are exact.
 */
export type PolicyFileItem = (
  | { kind: 'policy'; policy: Policy; lines: number[] }
  | { kind: 'rejected'; errors: ImportRowError[] }
  /** The file as a whole cannot be read (header): nothing else follows. */
  | { kind: 'failed'; error: ImportRowError }
) & {
  /** Data rows this item accounts for. */
  rows: number;
  /** Once this item (and every one before it) is stored, a resumed read may start after this line. */
  checkpoint: number;
};

export interface Line {
  line: number;
  text?: string;
  /** The line exceeded MAX_LINE_BYTES and was skipped without being kept. */
  tooLong?: boolean;
  /** The line's bytes are not UTF-8 (no text: the bad bytes are not guessed at). */
  invalidUtf8?: boolean;
}

/** Splits a byte stream into lines (LF or CRLF), never buffering more than `maxBytes` of one line. */
export async function* splitLines(
  source: AsyncIterable<Uint8Array>,
  maxBytes = MAX_LINE_BYTES,
): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  let line = 1;
  const finish = (): Line => {
    const text = skipping ? undefined : decode(Buffer.concat(parts, size));
    const out: Line = skipping
      ? { line, tooLong: true }
      : text === undefined
        ? { line, invalidUtf8: true }
        : { line, text };
    parts = [];
    size = 0;
    skipping = false;
    line += 1;
    return out;
  };
  for await (const chunk of source) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl === -1 ? buf.length : nl;
      if (!skipping) {
        if (size + (end - start) > maxBytes) {
          skipping = true;
          parts = [];
          size = 0;
        } else {
          parts.push(buf.subarray(start, end));
          size += end - start;
        }
      }
      if (nl === -1) break;
      yield finish();
      start = nl + 1;
    }
  }
  if (skipping || size > 0) yield finish();
}

/**
 * Strict UTF-8: a byte sequence that is not UTF-8 makes the line unreadable instead of turning into
 * U+FFFD (Buffer#toString), which would store a name or a number the file never said. A line is a
 * whole number of characters (0x0A never occurs inside a UTF-8 sequence), so lines decode alone.
 * `ignoreBOM: true` keeps a BOM as U+FEFF, removed below on any line as before.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const decode = (b: Buffer): string | undefined => {
  let s: string;
  try {
    s = utf8.decode(b);
  } catch {
    return undefined;
  }
  if (s.endsWith('\r')) s = s.slice(0, -1);
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  return s;
};

/** Policy versions and rejected rows of a file, in file order, starting after line `afterLine`. */
export function readPolicyFile(
  format: ImportFormat,
  source: AsyncIterable<Uint8Array>,
  afterLine = 0,
): AsyncGenerator<PolicyFileItem> {
  return format === 'csv' ? readCsv(source, afterLine) : readJsonLines(source, afterLine);
}

const tooLong = (line: number): ImportRowError => ({
  line,
  code: 'LINE_TOO_LONG',
  message: `Longer than ${MAX_LINE_BYTES} bytes`,
});
const notUtf8 = (line: number): ImportRowError => ({
  line,
  code: 'INVALID_ENCODING',
  message: 'Not UTF-8: the line has bytes that are not UTF-8 text',
});
/** The error of a line that could not be read as text at all, if it is one. */
const unreadable = (l: Line): ImportRowError | undefined =>
  l.tooLong ? tooLong(l.line) : l.invalidUtf8 ? notUtf8(l.line) : undefined;

async function* readJsonLines(
  source: AsyncIterable<Uint8Array>,
  afterLine: number,
): AsyncGenerator<PolicyFileItem> {
  for await (const l of splitLines(source)) {
    if (l.line <= afterLine) continue;
    const bad = unreadable(l);
    if (bad) {
      yield { kind: 'rejected', errors: [bad], rows: 1, checkpoint: l.line };
      continue;
    }
    if (!l.text || l.text.trim() === '') continue;
    const r = policyFromJsonLine(l.text, l.line);
    yield r.ok
      ? { kind: 'policy', policy: r.policy, lines: r.lines, rows: 1, checkpoint: l.line }
      : { kind: 'rejected', errors: r.errors, rows: 1, checkpoint: l.line };
  }
}

async function* readCsv(
  source: AsyncIterable<Uint8Array>,
  afterLine: number,
): AsyncGenerator<PolicyFileItem> {
  let header: string[] | undefined;
  // The cover rows of the policy version being read, and bad lines met meanwhile (released after
  // it, so a checkpoint never falls inside a policy's rows).
  let group: CsvGroup | undefined;
  let held: ImportRowError[] = [];
  const release = function* (nextLine: number): Generator<PolicyFileItem> {
    const checkpoint = nextLine - 1;
    if (group) {
      const g = group;
      group = undefined;
      const r = policyFromCsvGroup(g);
      yield r.ok
        ? { kind: 'policy', policy: r.policy, lines: r.lines, rows: g.records.length, checkpoint }
        : { kind: 'rejected', errors: r.errors, rows: g.records.length, checkpoint };
    }
    for (const e of held) yield { kind: 'rejected', errors: [e], rows: 1, checkpoint };
    held = [];
  };

  for await (const l of splitLines(source)) {
    if (!header) {
      // The header is read on every run, resumed or not.
      const cols = l.text === undefined ? undefined : parseLine(l.text);
      if (!cols) {
        yield {
          kind: 'failed',
          error: l.invalidUtf8
            ? { line: 1, code: 'INVALID_ENCODING', message: 'The header is not UTF-8 text' }
            : { line: 1, code: 'MISSING_COLUMNS', message: 'No readable header' },
          rows: 0,
          checkpoint: 0,
        };
        return;
      }
      header = cols.map((c) => c.trim().toLowerCase());
      const bad = checkCsvHeader(header);
      if (bad) {
        yield { kind: 'failed', error: bad, rows: 0, checkpoint: 0 };
        return;
      }
      continue;
    }
    if (l.line <= afterLine) continue;
    const bad = unreadable(l);
    if (bad) {
      if (group) held.push(bad);
      else yield { kind: 'rejected', errors: [bad], rows: 1, checkpoint: l.line };
      continue;
    }
    if (!l.text || l.text.trim() === '') continue;
    const cells = parseLine(l.text);
    if (!cells || cells.length !== header.length) {
      const e: ImportRowError = {
        line: l.line,
        code: 'MALFORMED_LINE',
        message: cells ? `${cells.length} columns; the header has ${header.length}` : 'Not a CSV record',
      };
      if (group) held.push(e);
      else yield { kind: 'rejected', errors: [e], rows: 1, checkpoint: l.line };
      continue;
    }
    const record: CsvRecord = {};
    header.forEach((h, i) => {
      record[h] = cells[i] ?? '';
    });
    const key = groupKey(record);
    if (group && group.key === key) {
      group.lines.push(l.line);
      group.records.push(record);
      continue;
    }
    yield* release(l.line);
    group = { key, firstLine: l.line, lines: [l.line], records: [record] };
  }
  yield* release(Number.MAX_SAFE_INTEGER);
}

const groupKey = (r: CsvRecord) => `${(r.policy_number ?? '').trim()}\u0000${(r.version ?? '').trim()}`;

function parseLine(text: string): string[] | undefined {
  try {
    const rows = parseCsvLine(text, { relax_quotes: false, relax_column_count: true }) as string[][];
    return rows.length === 1 ? rows[0] : undefined;
  } catch {
    return undefined;
  }
}
