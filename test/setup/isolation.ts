/**
 * Test files share their worker process (vitest.config.ts: isolate false, so modules are imported once per worker,
 * not once per file). What a file changes in the process is put back when it ends, so the next file in the same
 * worker starts as it would in a fresh one: environment variables, the working directory, vitest's stubs, fake
 * timers and spies, and AWS SDK clients whose `send` a file stubbed with aws-sdk-client-mock and did not restore.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, vi } from 'vitest';

const SDK_CLIENTS = [AccountClient, AthenaClient, CloudTrailClient, IAMClient, OrganizationsClient, S3Client, STSClient];

let env: Record<string, string | undefined> = {};
let cwd = '';

beforeAll(() => {
  env = { ...process.env };
  cwd = process.cwd();
});

afterAll(() => {
  for (const C of SDK_CLIENTS) {
    const send = C.prototype.send as { restore?: () => void };
    if (typeof send.restore === 'function') send.restore();
  }
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  for (const [k, v] of Object.entries(env)) if (process.env[k] !== v && v !== undefined) process.env[k] = v;
  if (process.cwd() !== cwd) process.chdir(cwd);
  process.exitCode = undefined;
});
