/**
 * A tiny S3 emulator (path-style ListObjectsV2, GetObject and DeleteObjects over HTTP) for the incremental-download
 * benchmark and the endpoint test: the real SDK, its retries and AWS_ENDPOINT_URL_S3 are exercised,
 * with an optional per-request latency standing in for the network.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One stored object. */
export interface FakeObject { body: Uint8Array; etag: string; lastModified: Date }

/** Counters of what the emulator served. */
export interface FakeS3Stats { list: number; get: number; bytes: number }

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A running emulator. */
export interface FakeS3 {
  url: string;
  objects: Map<string, FakeObject>;
  stats: FakeS3Stats;
  close(): Promise<void>;
}

/** Start an emulator for `bucket` on 127.0.0.1 (random port); `latencyMs` is added to every request. */
export async function startFakeS3(bucket: string, latencyMs = 0): Promise<FakeS3> {
  const objects = new Map<string, FakeObject>();
  const stats: FakeS3Stats = { list: 0, get: 0, bytes: 0 };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, b, ...rest] = url.pathname.split('/');
    const reply = () => {
      if (b !== bucket) {
        res.writeHead(404, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>no such bucket</Message></Error>');
        return;
      }
      if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
        stats.list++;
        const prefix = url.searchParams.get('prefix') ?? '';
        const delimiter = url.searchParams.get('delimiter');
        const max = Math.min(Number(url.searchParams.get('max-keys') ?? 1000), 1000);
        const from = Number(url.searchParams.get('continuation-token') ?? 0);
        const startAfter = url.searchParams.get('start-after');
        const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && (!startAfter || k > startAfter)).sort();
        let body = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${xml(prefix)}</Prefix><MaxKeys>${max}</MaxKeys>`;
        if (delimiter) {
          const cps = [...new Set(keys.map((k) => k.slice(prefix.length)).filter((r) => r.includes(delimiter)).map((r) => prefix + r.split(delimiter)[0] + delimiter))];
          body += `<Delimiter>${xml(delimiter)}</Delimiter><IsTruncated>false</IsTruncated><KeyCount>${cps.length}</KeyCount>`;
          for (const p of cps) body += `<CommonPrefixes><Prefix>${xml(p)}</Prefix></CommonPrefixes>`;
        } else {
          const page = keys.slice(from, from + max);
          const more = from + max < keys.length;
          body += `<IsTruncated>${more}</IsTruncated><KeyCount>${page.length}</KeyCount>`;
          if (more) body += `<NextContinuationToken>${from + max}</NextContinuationToken>`;
          for (const k of page) {
            const o = objects.get(k)!;
            body += `<Contents><Key>${xml(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xml(o.etag)}</ETag><Size>${o.body.byteLength}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
          }
        }
        res.writeHead(200, { 'content-type': 'application/xml' }).end(body + '</ListBucketResult>');
        return;
      }
      const key = decodeURIComponent(rest.join('/'));
      const o = objects.get(key);
      if (!o) {
        res.writeHead(404, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>');
        return;
      }
      stats.get++;
      stats.bytes += o.body.byteLength;
      res.writeHead(200, { 'content-type': 'application/octet-stream', etag: o.etag, 'content-length': o.body.byteLength, 'last-modified': o.lastModified.toUTCString() }).end(o.body);
    };
    // DeleteObjects (POST /bucket?delete with the keys in XML): removes them, answers with an empty DeleteResult.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    const answer = () => {
      if (req.method === 'POST' && url.searchParams.has('delete')) {
        for (const m of Buffer.concat(chunks).toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)) objects.delete(m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
        res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>');
        return;
      }
      reply();
    };
    req.on('end', () => (latencyMs > 0 ? setTimeout(answer, latencyMs) : answer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    stats,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
