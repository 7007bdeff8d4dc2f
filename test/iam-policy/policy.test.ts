import { describe, expect, it } from 'vitest';
import { decodePolicyDocument, parsePolicyDocument } from '../../src/iam-policy/policy.js';

const doc = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
    {
      Effect: 'Deny',
      NotAction: ['iam:*', 'sts:*'],
      NotResource: 'arn:aws:s3:::b/*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': false }, NumericLessThan: { 'aws:MultiFactorAuthAge': [3600] } },
    },
  ],
};

describe('parsePolicyDocument', () => {
  it('normalises single values to arrays and keeps absent elements absent', () => {
    const r = parsePolicyDocument(doc, 'role/r inline policy p');
    expect(r).toEqual({
      ok: true,
      version: '2012-10-17',
      statements: [
        { sid: 'Read', effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] },
        {
          effect: 'Deny',
          notActions: ['iam:*', 'sts:*'],
          notResources: ['arn:aws:s3:::b/*'],
          condition: { Bool: { 'aws:MultiFactorAuthPresent': ['false'] }, NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600'] } },
        },
      ],
    });
  });

  it('reads the same policy from an object, JSON text and URL-encoded JSON text', () => {
    const text = JSON.stringify(doc);
    const fromObject = parsePolicyDocument(doc, 'x');
    expect(parsePolicyDocument(text, 'x')).toEqual(fromObject);
    expect(parsePolicyDocument(encodeURIComponent(text), 'x')).toEqual(fromObject);
  });

  it('accepts a single Statement object and the bare "*" principal', () => {
    const r = parsePolicyDocument({ Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' } }, 'role/r trust policy');
    expect(r).toEqual({ ok: true, statements: [{ effect: 'Allow', principals: { '*': ['*'] }, actions: ['sts:AssumeRole'] }] });
  });

  it('normalises principal maps', () => {
    const r = parsePolicyDocument(
      { Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012', Service: ['a.amazonaws.com', 'b.amazonaws.com'] }, Action: 'sts:AssumeRole' }] },
      'w',
    );
    expect(r.ok && r.statements[0]?.principals).toEqual({ AWS: ['123456789012'], Service: ['a.amazonaws.com', 'b.amazonaws.com'] });
  });

  it.each([
    ['truncated JSON', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"', /role\/foo inline policy bar: policy document is not valid JSON/],
    ['truncated URL-encoded JSON', '%7B%22Version%22%3A%222012', /role\/foo inline policy bar: policy document is not valid JSON/],
    ['a broken percent escape', '%7B%E0%A4%A', /neither JSON nor valid URL-encoded JSON/],
    ['a missing document', undefined, /no policy document/],
    ['null', null, /no policy document/],
    ['an empty string', '  ', /empty policy document/],
    ['a number', 42, /is a number, not a JSON object/],
    ['a list', [1, 2], /is a list, not a JSON object/],
    ['no Statement', { Version: '2012-10-17' }, /has no Statement/],
    ['a lower-case Effect', { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] }, /statement 1: Effect must be "Allow" or "Deny", got "allow"/],
    ['both Action and NotAction', { Statement: [{ Effect: 'Allow', Action: '*', NotAction: 'iam:*', Resource: '*' }] }, /has both Action and NotAction/],
    ['no Action', { Statement: [{ Sid: 'S1', Effect: 'Allow', Resource: '*' }] }, /statement 1 \(Sid S1\): has neither Action nor NotAction/],
    ['a non-string Action', { Statement: [{ Effect: 'Allow', Action: [1], Resource: '*' }] }, /Action must be a string or a list of strings/],
    ['an unknown principal type', { Statement: [{ Effect: 'Allow', Principal: { Human: 'x' }, Action: '*' }] }, /unknown principal type "Human"/],
    ['a malformed Condition', { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: 'x' } }] }, /Condition: StringEquals must map/],
  ])('returns an error naming where for %s, without throwing', (_name, input, message) => {
    const r = parsePolicyDocument(input, 'role/foo inline policy bar');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/^role\/foo inline policy bar: /);
      expect(r.error).toMatch(message);
    }
  });

  it('does not mistake a JSON text containing % for URL-encoded text', () => {
    const r = decodePolicyDocument('{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/100%25"}}');
    expect(r).toEqual({ ok: true, value: { Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/100%25' } } });
  });
});
