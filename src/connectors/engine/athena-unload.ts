/**
 * The S3 side of Athena's UNLOAD path: where the Parquet files go (a fresh prefix under the result location,
 * which UNLOAD requires to be empty), which files the query wrote (its data manifest), their download into a
 * private directory (0700, files 0600, a few at a time) and the deletion of what the query wrote.
 *
 * The files are found from the manifest Athena writes for every UNLOAD (`Statistics.DataManifestLocation`, else
 * `<OutputLocation>-manifest.csv`; one s3:// URL a line), not by listing the prefix: the manifest names exactly the
 * files this query wrote (also on failure, the files it meant to write), and reading it needs s3:GetObject only,
 * where listing needs s3:ListBucket on the whole results bucket.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { DeleteObjectsCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { errorMessage } from '../../kernel/errors.js';
import { redact } from '../../kernel/redact.js';
import { clientConfig, errorCode, isAccessDenied, type Credentials } from '../aws/context.js';
import { EngineError } from './engine.js';

/** An object in S3. */
export interface S3Object { bucket: string; key: string }

/** `s3://bucket/key` → bucket and key (undefined when it is not one). */
export function parseS3Url(url: string): S3Object | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url.trim());
  return m ? { bucket: m[1]!, key: m[2]! } : undefined;
}

/** A fresh, empty prefix for one UNLOAD under the result location: `<output>/shadowscan-unload/<uuid>/`. */
export function unloadPrefix(outputLocation: string, id: string = randomUUID()): string {
  return `${outputLocation.replace(/\/+$/, '')}/shadowscan-unload/${id}/`;
}

/** The S3 client the UNLOAD path uses (the results bucket may be in another region: follow redirects). */
export function s3Client(region: string, credentials?: Credentials): S3Client {
  const emulator = process.env['AWS_ENDPOINT_URL_S3'] || process.env['AWS_ENDPOINT_URL'];
  return new S3Client({ ...clientConfig(region, credentials), followRegionRedirects: true, ...(emulator ? { forcePathStyle: true } : {}) });
}

/** An S3 failure of the UNLOAD path as an EngineError naming the call and the permission. */
function s3Failure(e: unknown, action: string, where: string, queryId: string): EngineError {
  if (e instanceof EngineError) return e;
  if (isAccessDenied(e)) {
    return new EngineError(`Athena UNLOAD of query ${queryId}: ${errorCode(e)}: ${action} denied on ${where}; grant ${action} on the result prefix (policies/shadowscan-athena.json)`,
      'access-denied', queryId, { cause: e, fallback: true });
  }
  return new EngineError(`Athena UNLOAD of query ${queryId}: ${action} on ${where} failed: ${redact(errorMessage(e))}`, 'failed', queryId, { cause: e });
}

/** The data files the manifest lists that lie under `prefix` (anything else is not ours to read or delete). */
export async function readManifest(s3: S3Client, manifestUrl: string, prefix: string, queryId: string, signal?: AbortSignal): Promise<S3Object[]> {
  const at = parseS3Url(manifestUrl);
  if (!at) throw new EngineError(`Athena UNLOAD of query ${queryId}: no data manifest location`, 'failed', queryId);
  let text: string;
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }), signal ? { abortSignal: signal } : {});
    text = got.Body ? await got.Body.transformToString('utf8') : '';
  } catch (e) {
    throw s3Failure(e, 's3:GetObject', `the data manifest ${manifestUrl}`, queryId);
  }
  const base = parseS3Url(prefix)!;
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '').map((l) => parseS3Url(l))
    .filter((o): o is S3Object => o !== undefined && o.bucket === base.bucket && o.key.startsWith(base.key) && !o.key.endsWith('/'));
}

/** Download `objects` into a new private directory (0700; files 0600), at most `concurrency` at a time. */
export async function downloadAll(s3: S3Client, objects: S3Object[], queryId: string, options: { concurrency?: number; signal?: AbortSignal } = {}): Promise<{ dir: string; files: string[]; bytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'shadowscan-unload-'));
  const limit = pLimit(options.concurrency ?? 4);
  let bytes = 0;
  try {
    const files = await Promise.all(objects.map((o, i) => limit(async () => {
      if (options.signal?.aborted) throw new EngineError(`Athena query ${queryId} cancelled while downloading its result`, 'cancelled', queryId);
      const file = join(dir, `part-${String(i).padStart(5, '0')}.parquet`);
      try {
        const got = await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }), options.signal ? { abortSignal: options.signal } : {});
        const body = got.Body;
        if (!body) throw new Error('empty body');
        const stream = body instanceof Readable ? body : Readable.from(Buffer.from(await body.transformToByteArray()));
        const out = createWriteStream(file, { mode: 0o600, flags: 'wx' });
        await pipeline(stream, out);
        const { size } = await stat(file);
        bytes += size;
      } catch (e) {
        if (options.signal?.aborted) throw new EngineError(`Athena query ${queryId} cancelled while downloading its result`, 'cancelled', queryId, { cause: e });
        throw s3Failure(e, 's3:GetObject', `s3://${o.bucket}/${o.key}`, queryId);
      }
      return file;
    })));
    return { dir, files, bytes };
  } catch (e) {
    limit.clearQueue();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Delete what the query wrote (best effort: the data files and the manifest). Returns what could not be deleted,
 * for a coverage gap: the result holds unredacted free text (user agents, request bodies) until it is deleted.
 */
export async function deleteWritten(s3: S3Client, objects: S3Object[]): Promise<string | undefined> {
  const byBucket = new Map<string, string[]>();
  for (const o of objects) byBucket.set(o.bucket, [...(byBucket.get(o.bucket) ?? []), o.key]);
  const failed: string[] = [];
  let denied = false;
  for (const [bucket, keys] of byBucket) {
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000);
      try {
        const r = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }));
        for (const err of r.Errors ?? []) {
          denied ||= err.Code === 'AccessDenied';
          failed.push(`s3://${bucket}/${err.Key ?? '?'}`);
        }
      } catch (e) {
        denied ||= isAccessDenied(e);
        failed.push(...chunk.map((k) => `s3://${bucket}/${k}`));
      }
    }
  }
  if (failed.length === 0) return undefined;
  const shown = failed.slice(0, 3).join(', ') + (failed.length > 3 ? ` and ${failed.length - 3} more` : '');
  return denied
    ? `s3:DeleteObject denied: ${failed.length} UNLOAD result object(s) left in S3 (${shown}); grant s3:DeleteObject on the result prefix (policies/shadowscan-athena.json) or expire them with a lifecycle rule`
    : `${failed.length} UNLOAD result object(s) could not be deleted (${shown}); delete them or expire them with a lifecycle rule`;
}
