import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/kernel/errors.js';
import { decodeText } from '../../src/kernel/text-input.js';
import { projectRoot } from '../../src/detect/loader.js';
import { readExceptionsOrThrow } from '../../src/registry/exceptions.js';
import { readRegistryOrThrow } from '../../src/registry/registry.js';
import { readLeakFile } from '../../src/store/load-leaks.js';
import { readPeopleFile } from '../../src/store/load-people.js';
import { scanDir, tempDir } from '../helpers/scan.js';

const root = projectRoot();
const demo = join(root, 'fixtures/demo');

/** The encodings a file arrives in, each made here from the UTF-8 original. */
const utf16le = (s: string): Buffer => Buffer.from(s, 'utf16le');
const utf16be = (s: string): Buffer => { const b = utf16le(s); for (let i = 0; i + 1 < b.length; i += 2) { const t = b[i]!; b[i] = b[i + 1]!; b[i + 1] = t; } return b; };
const variants = (s: string) => ({
  'utf-8 with BOM': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]),
  'utf-16le with BOM': Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(s)]),
  'utf-16be with BOM': Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(s)]),
});
const refused = (s: string) => ({
  'utf-16le without BOM': { bytes: utf16le(s), says: /NUL byte .*UTF-16 without a byte-order mark/ },
  'latin-1': { bytes: Buffer.from(s.replace('example.com', 'exämple.com'), 'latin1'), says: /not valid UTF-8 \(byte 0xe4 at byte \d+, line \d+\): Latin-1/ },
  'a NUL byte in UTF-8': { bytes: Buffer.from(s.replace('\n', '\n\u0000'), 'utf8'), says: /NUL byte/ },
});

function write(dir: string, name: string, bytes: Buffer): string {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

describe('text inputs in odd encodings: decoded when a byte-order mark says how, refused naming the file otherwise', () => {
  it('decodeText: BOM-marked UTF-8/UTF-16 decode to the same text; NUL bytes and invalid UTF-8 are refused with where', () => {
    const text = 'alice@example.com\nbob@example.com\n';
    for (const [name, bytes] of Object.entries(variants(text))) {
      const d = decodeText(bytes);
      expect(d.ok ? d.text : d.error, name).toBe(text);
    }
    for (const [name, { bytes, says }] of Object.entries(refused(text))) {
      const d = decodeText(bytes);
      expect(d.ok, name).toBe(false);
      expect(d.ok ? '' : d.error, name).toMatch(says);
    }
  });

  it('--people, --leaks, --registry and --exceptions: the same content in UTF-16 reads the same; other encodings are usage errors naming the file', () => {
    const dir = tempDir('shadowscan-enc-');
    const inputs: [string, string, (f: string) => unknown][] = [
      ['people.txt', readFileSync(join(demo, 'people.txt'), 'utf8'), readPeopleFile],
      ['gitleaks.json', readFileSync(join(demo, 'leaks/gitleaks.json'), 'utf8'), readLeakFile],
      ['registry.yaml', readFileSync(join(demo, 'registry.yaml'), 'utf8'), readRegistryOrThrow],
      ['exceptions.yaml', readFileSync(join(demo, 'exceptions.yaml'), 'utf8'), readExceptionsOrThrow],
    ];
    for (const [name, text, read] of inputs) {
      const strip = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll(JSON.stringify(join(dir, '')).slice(1, -1), '<dir>').replace(/<dir>[^"]*?(?=")/g, '<file>')) as unknown;
      const expected = strip(read(write(dir, `utf8-${name}`, Buffer.from(text, 'utf8'))));
      for (const [enc, bytes] of Object.entries(variants(text))) {
        expect(strip(read(write(dir, `${enc.replaceAll(' ', '-')}-${name}`, bytes))), `${name} in ${enc}`).toEqual(expected);
      }
      for (const [enc, { bytes }] of Object.entries(refused(text))) {
        const file = write(dir, `${enc.replaceAll(' ', '-')}-${name}`, bytes);
        let error: unknown;
        try { read(file); } catch (e) { error = e; }
        expect(error, `${name} in ${enc} is refused`).toBeInstanceOf(UsageError);
        expect((error as Error).message, `${name} in ${enc}`).toContain(file);
        expect((error as Error).message, `${name} in ${enc}`).toMatch(/NUL|UTF-8/);
      }
    }
  });

  it('a UTF-16 --people roster does not change who is ownerless on the demo (it used to turn 7 ownerless findings into 18)', async () => {
    const dir = tempDir('shadowscan-enc-people-');
    const text = readFileSync(join(demo, 'people.txt'), 'utf8');
    const ownerless = async (people: string) => (await scanDir(demo, '2026-11-20T00:00:00Z', 90, { peopleFile: people }))
      .findings.filter((f) => f.detector === 'aws/ownerless').map((f) => `${f.subject.id} ${f.severity} ${f.reason.replace(people, '<roster>')}`);
    const utf8 = await ownerless(join(demo, 'people.txt'));
    expect(await ownerless(write(dir, 'people-utf16.txt', variants(text)['utf-16le with BOM']))).toEqual(utf8);
  }, 60_000);

  it('IAM exports: JSON and the credential report in UTF-16 load the same identities; in Latin-1 or UTF-16 without BOM they are coverage gaps naming the file', async () => {
    const src = join(root, 'fixtures/ingestion/iam-cases/export/aws/iam/111111111111');
    const files = ['get-account-authorization-details.json', 'credential-report.csv', 'list-access-keys.json'];
    const exportWith = (encode: (text: string) => Buffer): string => {
      const dir = tempDir('shadowscan-enc-iam-');
      mkdirSync(join(dir, 'aws/iam/111111111111'), { recursive: true });
      for (const f of files) writeFileSync(join(dir, 'aws/iam/111111111111', f), encode(readFileSync(join(src, f), 'utf8')));
      return dir;
    };
    const plain = tempDir('shadowscan-enc-iam-');
    cpSync(src, join(plain, 'aws/iam/111111111111'), { recursive: true });
    const ids = (r: Awaited<ReturnType<typeof scanDir>>) => r.inventory.map((i) => `${i.account} ${i.kind} ${i.id}`).sort();
    const iamGaps = (r: Awaited<ReturnType<typeof scanDir>>) => r.run.coverage_gaps.filter((g) => g.source.includes('/aws/iam/')).map((g) => `${basename(g.source)}: ${g.detail}`);
    const plainScan = await scanDir(plain);
    const expected = ids(plainScan);
    expect(expected.length).toBeGreaterThan(8);
    for (const enc of ['utf-16le with BOM', 'utf-16be with BOM', 'utf-8 with BOM'] as const) {
      const r = await scanDir(exportWith((t) => variants(t)[enc]));
      expect(ids(r), enc).toEqual(expected);
      expect(iamGaps(r), enc).toEqual(iamGaps(plainScan));
    }
    for (const [enc, says] of [['latin-1', /not valid UTF-8/], ['utf-16le without BOM', /NUL byte/]] as const) {
      const dir = exportWith((t) => (enc === 'latin-1' ? Buffer.from(t.replace('deploy-bot', 'déploy-bot'), 'latin1') : utf16le(t)));
      // another account's export, in UTF-8, still loads beside the refused files
      cpSync(join(src, '../333333333333'), join(dir, 'aws/iam/333333333333'), { recursive: true });
      const r = await scanDir(dir);
      expect(r.inventory.map((i) => i.account), enc).toContain('333333333333');
      expect(r.inventory.map((i) => i.account), enc).not.toContain('111111111111');
      const gaps = r.run.coverage_gaps;
      for (const f of files) {
        const gap = gaps.find((g) => g.source === join(dir, 'aws/iam/111111111111', f));
        expect(gap?.detail, `${f} in ${enc}`).toMatch(says);
      }
    }
  }, 120_000);
});
