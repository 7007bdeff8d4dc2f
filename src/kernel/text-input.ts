/**
 * Text inputs (rosters, registry, exceptions, leak reports, IAM and GitHub exports, credential reports) are read
 * through one decoder: UTF-8 (a byte-order mark is dropped), or UTF-16 when a byte-order mark says so. Anything
 * else that is not valid UTF-8 — UTF-16 without a byte-order mark (NUL bytes), Latin-1 / Windows-1252 — is refused
 * with a message saying what was found and how to convert it, never read as something else: a UTF-16 roster
 * read as UTF-8 is a roster of nobody, and every owner looks departed.
 */
import { readFileSync } from 'node:fs';

/** What the decoder found, for the caller's message ("--people FILE: <this>"). */
export type DecodedText = { ok: true; text: string; encoding: 'utf-8' | 'utf-8 with BOM' | 'utf-16le' | 'utf-16be' } | { ok: false; error: string };

const CONVERT = 'save it as UTF-8 (e.g. `iconv -f <encoding> -t UTF-8 FILE`)';

/** Line (1-based) of byte `offset` in `bytes`. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that breaks UTF-8 (the decoder says only that one does). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** Decode the bytes of a text input (see the module comment). */
export function decodeText(bytes: Uint8Array): DecodedText {
  const b = bytes;
  if ((b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)) {
    return { ok: false, error: `is UTF-32 (byte-order mark), not a supported text encoding; ${CONVERT.replace('<encoding>', 'UTF-32')}` };
  }
  const utf16 = b[0] === 0xff && b[1] === 0xfe ? 'utf-16le' : b[0] === 0xfe && b[1] === 0xff ? 'utf-16be' : undefined;
  let text: string;
  let encoding: 'utf-8' | 'utf-8 with BOM' | 'utf-16le' | 'utf-16be';
  if (utf16) {
    if (b.length % 2 !== 0) return { ok: false, error: `starts with a ${utf16.toUpperCase()} byte-order mark but has an odd number of bytes (cut short?); ${CONVERT.replace('<encoding>', utf16.toUpperCase())}` };
    try {
      text = new TextDecoder(utf16, { fatal: true, ignoreBOM: false }).decode(b);
    } catch {
      return { ok: false, error: `starts with a ${utf16.toUpperCase()} byte-order mark but is not valid ${utf16.toUpperCase()}; ${CONVERT.replace('<encoding>', utf16.toUpperCase())}` };
    }
    encoding = utf16;
  } else {
    const nul = b.indexOf(0);
    if (nul >= 0) {
      const even = b.length > 1 && b.filter((x, i) => i % 2 === 1 && x === 0).length > b.length / 4;
      return {
        ok: false,
        error: `holds a NUL byte (byte ${nul}, line ${lineAt(b, nul)})${even ? ': UTF-16 without a byte-order mark?' : ': not a text file, or UTF-16 without a byte-order mark?'} ${CONVERT.replace('<encoding>', even ? 'UTF-16LE' : '<encoding>')}`,
      };
    }
    const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(b);
    } catch {
      const at = firstInvalidUtf8(b);
      return {
        ok: false,
        error: `is not valid UTF-8 (byte 0x${(b[at] ?? 0).toString(16).padStart(2, '0')} at byte ${at}, line ${lineAt(b, at)}): Latin-1 / Windows-1252 or another legacy encoding? ${CONVERT.replace('<encoding>', 'LATIN1')}`,
      };
    }
    encoding = bom ? 'utf-8 with BOM' : 'utf-8';
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { ok: false, error: `holds a NUL character (line ${text.slice(0, nul).split('\n').length}): not a text file?` };
  return { ok: true, text, encoding };
}

/** A text input's content, or an Error whose message says what is wrong with its encoding (file errors are thrown as they are). */
export class TextEncodingError extends Error {}

/** Read a text input (see the module comment); throws fs errors unchanged and TextEncodingError for an encoding it refuses. */
export function readTextInput(file: string): string {
  const d = decodeText(readFileSync(file));
  if (!d.ok) throw new TextEncodingError(d.error);
  return d.text;
}
