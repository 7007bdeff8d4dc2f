import { describe, expect, it } from 'vitest';
import { gapFor, guarded, type CollectLog } from '../../../src/connectors/aws/context.js';
import { accessDenied, serviceError } from '../../helpers/aws.js';

const site = { account: '123456789012', region: 'eu-west-1', action: 'cloudtrail:LookupEvents', loses: 'management events' };

describe('coverage gaps from API errors', () => {
  it('AccessDenied names account, region, API and the permission to grant', () => {
    const g = gapFor(site, accessDenied('cloudtrail:LookupEvents'));
    expect(g).toMatchObject({ source: 'aws:123456789012:eu-west-1:cloudtrail:LookupEvents', account: '123456789012', region: 'eu-west-1', api: 'LookupEvents', permission: 'cloudtrail:LookupEvents' });
    expect(g.detail).toBe('AccessDenied: cloudtrail:LookupEvents denied in account 123456789012, region eu-west-1; grant cloudtrail:LookupEvents (see policies/shadowscan-readonly.json) — management events not collected');
  });

  it('a disabled opt-in region is named as such; other errors keep their (redacted) message', () => {
    expect(gapFor(site, serviceError('UnrecognizedClientException')).detail).toMatch(/region not enabled for this account/);
    const leaky = serviceError('InternalFailure', 500, 'failed GET https://x.amazonaws.com/?X-Amz-Signature=abcdef0123456789&X-Amz-Security-Token=FQoGZXIvYXdzEJr aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    const g = gapFor(site, leaky);
    expect(g.permission).toBeNull();
    expect(g.detail).toMatch(/InternalFailure: cloudtrail:LookupEvents failed/);
    expect(g.detail).not.toMatch(/abcdef0123456789|FQoGZXIvYXdzEJr|wJalrXUtnFEMI/);
  });

  it('a KMS-encrypted trail object names kms:Decrypt, not s3:GetObject', () => {
    const e = Object.assign(new Error('User: arn:aws:sts::1:assumed-role/x/y is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:1:key/k because no identity-based policy allows the kms:Decrypt action'),
      { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const g = gapFor({ ...site, action: 's3:GetObject', loses: 'CloudTrail logs' }, e);
    expect(g.permission).toBe('kms:Decrypt');
    expect(g.detail).toMatch(/grant kms:Decrypt on the trail's key/);
  });

  it('guarded turns AWS errors into gaps but lets bugs through', async () => {
    const log: CollectLog = { gaps: [], progress: () => undefined };
    const r = await guarded(log, site, () => Promise.reject(accessDenied('cloudtrail:LookupEvents')));
    expect(r.ok).toBe(false);
    expect(log.gaps).toHaveLength(1);
    await expect(guarded(log, site, () => Promise.reject(new TypeError('x is undefined')))).rejects.toThrow(TypeError);
    expect(log.gaps).toHaveLength(1);
  });
});
