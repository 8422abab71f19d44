import { describe, expect, it } from 'vitest';
import { evaluate, matches } from '../../src/iam/policy.js';
import { IamRegistry } from '../../src/iam/registry.js';

const KEY = 'arn:aws:kms:us-east-1:000000000000:key/1234';

describe('IAM policy evaluation', () => {
  it('allows by action and resource, with wildcards; actions ignore case, resources do not', () => {
    const doc = {
      Statement: [
        { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey*'], Resource: KEY },
      ],
    };
    expect(evaluate([doc], 'kms:Encrypt', KEY)).toBe('allow');
    expect(evaluate([doc], 'KMS:generatedatakeywithoutplaintext', KEY)).toBe('allow');
    expect(evaluate([doc], 'kms:Decrypt', KEY)).toBe('implicit-deny');
    expect(evaluate([doc], 'kms:Encrypt', KEY.toUpperCase())).toBe('implicit-deny');
    expect(matches('arn:aws:kms:*:*:key/?234', KEY, false)).toBe(true);
    expect(matches('kms:Encrypt', 'kms:EncryptX', true)).toBe(false);
  });

  it('an explicit Deny wins over any Allow, in any document', () => {
    const allow = { Statement: { Effect: 'Allow', Action: 'kms:*', Resource: '*' } };
    const deny = { Statement: [{ Effect: 'Deny', Action: 'kms:Decrypt', Resource: KEY }] };
    expect(evaluate([allow, deny], 'kms:Decrypt', KEY)).toBe('explicit-deny');
    expect(evaluate([allow, deny], 'kms:Encrypt', KEY)).toBe('allow');
  });

  it('NotAction and NotResource invert the match', () => {
    const doc = {
      Statement: [
        { Effect: 'Allow', NotAction: 'kms:Decrypt', NotResource: 'arn:aws:kms:*:*:key/secret' },
      ],
    };
    expect(evaluate([doc], 'kms:Encrypt', KEY)).toBe('allow');
    expect(evaluate([doc], 'kms:Decrypt', KEY)).toBe('implicit-deny');
    expect(evaluate([doc], 'kms:Encrypt', 'arn:aws:kms:us-east-1:0:key/secret')).toBe(
      'implicit-deny',
    );
  });
});

describe('IamRegistry', () => {
  it("refuses a function's role without the grant in AWS's words, allows it with one; unknown keys are root", () => {
    const iam = new IamRegistry('000000000000');
    iam.putRole('ReaderRole');
    iam.putPolicy(
      'P1',
      { Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: KEY }] },
      ['ReaderRole'],
    );
    const key = iam.registerCaller('arn:aws:iam::000000000000:role/ReaderRole', 'reader-fn');
    expect(key).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(() => iam.authorize(key, 'kms:Encrypt', KEY)).not.toThrow();
    expect(() => iam.authorize(key, 'kms:Decrypt', KEY)).toThrow(
      `User: arn:aws:sts::000000000000:assumed-role/ReaderRole/reader-fn is not authorized to perform: kms:Decrypt on resource: ${KEY} because no identity-based policy allows the kms:Decrypt action`,
    );
    expect(() => iam.authorize('local', 'kms:Decrypt', KEY)).not.toThrow();
    expect(() => iam.authorize(undefined, 'kms:Decrypt', KEY)).not.toThrow();
  });
});
