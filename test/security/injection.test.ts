/**
 * Terminal and Markdown injection: hostile text in scanned data (an owner tag, exception approver and
 * reason, file names in errors) carrying ESC[2J, OSC 52 clipboard writes, OSC 8 links, BEL, 8-bit CSI,
 * a bidi override, a newline that forges a line, Markdown images and links, HTML and a formula, goes
 * through every format and every terminal path (table, every report printed on a terminal, explain,
 * diff, stderr, the UI's first screen) and never acts: no raw control or bidi character reaches the
 * terminal, no forged line starts, no Markdown image or link is made, no CSV cell runs as a formula.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FORMATS } from '../../reports/index.js';
import { Store } from '../../src/store/db.js';
import { paintFirstScreen } from '../../src/ui/paint.js';
import { openSession } from '../../src/ui/session.js';
import { cli } from '../helpers/cli.js';
import { exportOf, orgV1 } from '../helpers/reports.js';
import { tempDir } from '../helpers/scan.js';

const HOSTILE = 'evil\u001b[2J\u001b]52;c;SGVsbG8=\u0007\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007\u009b31m'
  + '\nFORGED LINE\u202e ![x](https://evil.example/i.png) [link](https://evil.example/) <img src=x onerror=alert(1)> =HYPERLINK("https://evil.example")';
const SUBJECT = 'arn:aws:iam::111122223333:user/svc-bot';
/** An approver that passes the email check (no whitespace) and still carries escape sequences. */
const HOSTILE_APPROVER = 'evil\u001b[2J\u001b]52;c;SGVsbG8=\u0007\u009b31m@evil.example';

/** Raw characters a terminal would act on (C0 except LF/CR/TAB, DEL, C1, bidi overrides). */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectInert(text: string, where: string, lines = true): void {
  expect(ACTIVE.exec(text)?.[0], `${where}: raw control character`).toBeUndefined();
  // (HTML is exempt from the line check: a line break in HTML text is rendered as a space.)
  if (lines) expect(text.split(/\r?\n/).some((l) => /^\s*FORGED LINE/.test(l)), `${where}: forged line`).toBe(false);
}

/** An export whose svc-bot has a hostile owner tag, and an exception with a hostile approver and reason. */
function hostileExport(owner: string): { dir: string; exceptions: string } {
  const spec = orgV1();
  const users = (spec.accounts!['111122223333']!.authorization_details as { UserDetailList: { UserName: string; Tags?: unknown[] }[] }).UserDetailList;
  users.find((u) => u.UserName === 'svc-bot')!.Tags = [{ Key: 'owner', Value: owner }];
  const dir = exportOf(spec);
  const exceptions = join(dir, 'exceptions.yaml');
  writeFileSync(exceptions, `exceptions:\n  - subject: ${SUBJECT}\n    reason: ${JSON.stringify(HOSTILE)}\n    approver: ${JSON.stringify(HOSTILE_APPROVER)}\n    expires: 2027-01-31\n`);
  return { dir, exceptions };
}

const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
afterEach(() => {
  if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
  else delete (process.stdout as { isTTY?: boolean }).isTTY;
  delete process.env['NO_COLOR'];
});

describe('hostile text in scanned data', () => {
  it('never drives the terminal, forges a line, makes a Markdown link or image, or runs as a CSV formula', async () => {
    const db = join(tempDir('shadowscan-inject-'), 'db.duckdb');
    const first = hostileExport('alice@example.com');
    const second = hostileExport(HOSTILE);
    const asOf = ['--as-of', '2026-11-20T00:00:00Z'];
    expect((await cli('scan', '--from', first.dir, '--db', db, ...asOf, '--format', 'json', '--output', join(first.dir, 'r.json'))).code).toBe(0);
    const scan = await cli('scan', '--from', second.dir, '--db', db, ...asOf, '--exceptions', second.exceptions, '--format', 'json', '--output', join(second.dir, 'r.json'));
    expect(scan.code, scan.err).toBe(0);
    expectInert(scan.err, 'scan stderr');

    // Every format, printed on a terminal (no colour: the table then sends no escape of its own).
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    process.env['NO_COLOR'] = '1';
    const outputs: Record<string, string> = {};
    for (const format of FORMATS) {
      const r = await cli('report', '--db', db, '--format', format);
      expect(r.code, r.err).toBe(0);
      expectInert(r.out + r.err, `report --format ${format}`, format !== 'html');
      outputs[format] = r.out;
    }
    expect(outputs['table']).toContain('evil\\x1b[2J'); // shown, as visible text
    expect(outputs['table']).toMatch(/approved by evil\\x1b/);
    for (const format of ['json', 'sarif', 'ocsf'] as const) expect(() => JSON.parse(outputs[format] ?? ''), format).not.toThrow();

    const md = outputs['md'] ?? '';
    expect(md).toContain('evil');
    expect(md).not.toMatch(/(^|[^\\])!\[x\]\(/);
    expect(md).not.toMatch(/(^|[^\\])\[link\]\(/);
    expect(md).not.toContain('<img');

    const csv = outputs['csv'] ?? '';
    const ownerCells = csv.split('\r\n').filter((l) => l.includes('svc-bot'));
    expect(ownerCells.length).toBeGreaterThan(0);
    expect(csv).not.toMatch(/(^|,)"?\s*[=+\-@]HYPERLINK/m);

    // explain, diff, the UI's first screen.
    const explain = await cli('explain', SUBJECT, '--db', db);
    expect(explain.out).toContain('evil');
    expectInert(explain.out + explain.err, 'explain');
    const diff = await cli('diff', '--db', db);
    expect(diff.out).toContain('evil');
    expectInert(diff.out + diff.err, 'diff');
    const store = await Store.open(db);
    try {
      const session = await openSession(store, undefined, 30);
      const screen = paintFirstScreen(session.initial, 240, 40, false);
      expect(screen).toContain('evil');
      // The screen's own escapes (cursor home, erase line, reverse video) are the only ones.
      const attack = screen.replace(/\u001b\[(?:H|K|0m|7m|[0-9;]*m)/g, '');
      expectInert(attack, 'ui first screen');
    } finally {
      store.close();
    }

    // A usage error quoting a hostile file name (typed by the user, so its line breaks are theirs: only
    // escape sequences are checked).
    const bad = await cli('scan', '--from', first.dir, '--db', ':memory:', '--leaks', join(first.dir, `x${HOSTILE}.json`));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('evil\\x1b[2J');
    expectInert(bad.err, 'stderr', false);
  }, 120_000);
});
