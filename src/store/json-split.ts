/**
 * Split one large JSON document of the shape `{"Events": [e1, e2, …], …}` (an `aws cloudtrail lookup-events`
 * export) into chunk files `{"Events":[…]}` of about `chunkBytes` each, streaming, so DuckDB's `read_json` never
 * holds the whole document: it buffers each JSON value whole, and a 10M-record export is one 1.7 GB value.
 * The elements are copied byte for byte (never parsed or re-encoded); every other top-level key is left out
 * (the loader reads only Events). Anything else — not one object, no Events array or an empty one, Events
 * twice, a string or bracket left open — gives undefined, and the caller reads the file as it is.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The chunk files written into `dir` (0600), in order; undefined when the file is not of that shape. */
export function splitEventsArray(file: string, dir: string, key = 'Events', chunkBytes = 32 * 1024 * 1024, blockBytes = 8 * 1024 * 1024): string[] | undefined {
  const chunks: string[] = [];
  let out: number | undefined;
  let outBytes = 0;
  const head = Buffer.from(`{"${key}":[`);
  const tail = Buffer.from(']}\n');
  const sep = Buffer.from(',');
  const closeChunk = (): void => {
    if (out === undefined) return;
    writeSync(out, tail);
    closeSync(out);
    out = undefined;
  };
  const write = (b: Buffer): void => {
    if (out === undefined) {
      const path = join(dir, `${String(chunks.length).padStart(5, '0')}.json`);
      out = openSync(path, 'wx', 0o600);
      chunks.push(path);
      writeSync(out, head);
      outBytes = 0;
    }
    writeSync(out, b);
    outBytes += b.length;
  };
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(blockBytes);
    // depth: 0 outside the document, 1 in the top object, 2 in a top-level value (the Events array), 3+ deeper.
    let depth = 0;
    let inString = false;
    let escaped = false;
    let done = false; // the top object closed
    let keys = 0;
    // at depth 1: what comes next
    let expect: 'key' | 'colon' | 'value' | 'scalar' | 'after' = 'key';
    let keyParts: Buffer[] | undefined; // the key being read (a string at depth 1 in key position)
    let keyFrom = -1;
    let lastKey = '';
    let seenEvents = false;
    let inEvents = false;
    let elements = 0;
    let elemOpen = false; // an element of Events started and not yet ended
    for (;;) {
      const n = readSync(fd, buf, 0, blockBytes, null);
      if (n === 0) break;
      let elemFrom = elemOpen ? 0 : -1;
      if (keyParts) keyFrom = 0;
      for (let i = 0; i < n; i++) {
        const c = buf[i] as number;
        if (inString) {
          if (escaped) { escaped = false; continue; }
          // Jump to the next quote; it ends the string unless an odd run of backslashes precedes it.
          const q = buf.indexOf(QUOTE, i);
          const end = q < 0 || q >= n ? n : q;
          let k = end - 1;
          while (k >= i && buf[k] === BACKSLASH) k--;
          const odd = (end - 1 - k) % 2 === 1;
          i = end;
          if (end === n) { escaped = odd; continue; } // the string goes on in the next block
          if (odd) continue; // an escaped quote
          inString = false;
          if (keyParts) {
            keyParts.push(Buffer.from(buf.subarray(keyFrom, i)));
            lastKey = Buffer.concat(keyParts).toString('utf8');
            keyParts = undefined;
          }
          continue;
        }
        if (done) {
          if (!isSpace(c)) return undefined; // something after the document
          continue;
        }
        if (depth === 0) {
          if (isSpace(c)) continue;
          if (c !== 0x7b) return undefined; // not an object
          depth = 1;
          continue;
        }
        if (depth === 1) {
          if (expect === 'scalar') {
            if (c === COMMA) { expect = 'key'; continue; }
            if (c === 0x7d) { done = true; continue; }
            if (isSpace(c)) { expect = 'after'; continue; }
            if (c === QUOTE || c === 0x7b || c === 0x5b || c === COLON) return undefined;
            continue;
          }
          if (isSpace(c)) continue;
          if (expect === 'key') {
            if (c === 0x7d && keys === 0) { done = true; continue; } // {}
            if (c !== QUOTE) return undefined;
            inString = true;
            keyParts = [];
            keyFrom = i + 1;
            keys++;
            expect = 'colon';
          } else if (expect === 'colon') {
            if (c !== COLON) return undefined;
            expect = 'value';
          } else if (expect === 'value') {
            expect = 'after';
            if (lastKey === key) {
              if (seenEvents || c !== 0x5b) return undefined; // Events twice, or not an array
              seenEvents = true;
              inEvents = true;
              depth = 2;
            } else if (c === 0x7b || c === 0x5b) depth = 2;
            else if (c === QUOTE) inString = true;
            else expect = 'scalar'; // a number, true, false or null
          } else if (c === COMMA) expect = 'key';
          else if (c === 0x7d) done = true;
          else return undefined;
          continue;
        }
        // depth >= 2
        if (inEvents && depth === 2) {
          if (c === 0x5d || c === COMMA) { // the end of an element: of Events, or before the next
            if (!elemOpen) {
              if (c === COMMA || elements > 0) return undefined; // an empty element: [,  [1,]
              inEvents = false; // []
              depth = 1;
              continue;
            }
            if (elemFrom >= 0 && elemFrom < i) write(buf.subarray(elemFrom, i));
            elemOpen = false;
            elemFrom = -1;
            elements++;
            if (c === 0x5d) { inEvents = false; depth = 1; }
            else if (outBytes >= chunkBytes) closeChunk();
            continue;
          }
          if (!elemOpen) {
            if (isSpace(c)) continue;
            if (out !== undefined) write(sep);
            elemOpen = true;
            elemFrom = i;
          }
        }
        if (c === QUOTE) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth < 2 && (inEvents || depth < 1)) return undefined; // a bracket closing Events or the document early
        }
      }
      if (elemOpen && elemFrom >= 0 && elemFrom < n) write(buf.subarray(elemFrom, n));
      if (keyParts && keyFrom < n) keyParts.push(Buffer.from(buf.subarray(keyFrom, n)));
    }
    if (!done || inString || !seenEvents || elements === 0) return undefined;
    closeChunk();
    return chunks;
  } finally {
    closeSync(fd);
    if (out !== undefined) closeSync(out);
  }
}
