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

describe('IAM conditions on the request context', () => {
  const FIELD = 'kms:EncryptionContext:field';
  const grant = (Condition: unknown) => [
    { Statement: { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY, Condition } },
  ];

  it('StringEquals: the key must be present and equal one of the values; key names ignore case, values do not', () => {
    const docs = grant({ StringEquals: { [FIELD]: ['paymentToken', 'iban'] } });
    expect(evaluate(docs, 'kms:Decrypt', KEY, { [FIELD]: 'paymentToken' })).toBe('allow');
    expect(evaluate(docs, 'kms:Decrypt', KEY, { 'KMS:encryptioncontext:FIELD': 'iban' })).toBe(
      'allow',
    );
    expect(evaluate(docs, 'kms:Decrypt', KEY, { [FIELD]: 'shippingAddress' })).toBe(
      'implicit-deny',
    );
    expect(evaluate(docs, 'kms:Decrypt', KEY, { [FIELD]: 'PaymentToken' })).toBe('implicit-deny');
    expect(evaluate(docs, 'kms:Decrypt', KEY, {})).toBe('implicit-deny');
    expect(evaluate(docs, 'kms:Decrypt', KEY)).toBe('implicit-deny');
  });

  it('keys within an operator and operators within a statement must all hold', () => {
    const docs = grant({
      StringEquals: { [FIELD]: 'paymentToken', 'kms:EncryptionContext:tenant': 't1' },
      StringLike: { 'kms:EncryptionContext:orderId': 'ord_*' },
    });
    const all = { [FIELD]: 'paymentToken', 'kms:EncryptionContext:tenant': 't1' };
    expect(
      evaluate(docs, 'kms:Decrypt', KEY, { ...all, 'kms:EncryptionContext:orderId': 'ord_9' }),
    ).toBe('allow');
    expect(
      evaluate(docs, 'kms:Decrypt', KEY, { ...all, 'kms:EncryptionContext:orderId': 'x_9' }),
    ).toBe('implicit-deny');
    expect(evaluate(docs, 'kms:Decrypt', KEY, all)).toBe('implicit-deny');
  });

  it('StringLike wildcards, negated operators, IfExists and IgnoreCase', () => {
    expect(
      evaluate(grant({ StringLike: { [FIELD]: 'pay*' } }), 'kms:Decrypt', KEY, {
        [FIELD]: 'paymentToken',
      }),
    ).toBe('allow');
    const not = grant({ StringNotEquals: { [FIELD]: 'paymentToken' } });
    expect(evaluate(not, 'kms:Decrypt', KEY, { [FIELD]: 'paymentToken' })).toBe('implicit-deny');
    expect(evaluate(not, 'kms:Decrypt', KEY, { [FIELD]: 'shippingAddress' })).toBe('allow');
    expect(evaluate(not, 'kms:Decrypt', KEY, {})).toBe('allow');
    const ifExists = grant({ StringEqualsIfExists: { [FIELD]: 'paymentToken' } });
    expect(evaluate(ifExists, 'kms:Decrypt', KEY, {})).toBe('allow');
    expect(evaluate(ifExists, 'kms:Decrypt', KEY, { [FIELD]: 'other' })).toBe('implicit-deny');
    const ic = grant({ StringEqualsIgnoreCase: { [FIELD]: 'PAYMENTTOKEN' } });
    expect(evaluate(ic, 'kms:Decrypt', KEY, { [FIELD]: 'paymentToken' })).toBe('allow');
  });

  it('ForAnyValue / ForAllValues over a multivalued key (an absent key: any fails, all holds)', () => {
    const KEYS = 'kms:EncryptionContextKeys';
    const any = grant({ 'ForAnyValue:StringEquals': { [KEYS]: ['field'] } });
    const all = grant({ 'ForAllValues:StringEquals': { [KEYS]: ['field', 'orderId'] } });
    expect(evaluate(any, 'kms:Decrypt', KEY, { [KEYS]: ['tenant', 'field'] })).toBe('allow');
    expect(evaluate(any, 'kms:Decrypt', KEY, { [KEYS]: ['tenant'] })).toBe('implicit-deny');
    expect(evaluate(any, 'kms:Decrypt', KEY, {})).toBe('implicit-deny');
    expect(evaluate(all, 'kms:Decrypt', KEY, { [KEYS]: ['orderId', 'field'] })).toBe('allow');
    expect(evaluate(all, 'kms:Decrypt', KEY, { [KEYS]: ['field', 'tenant'] })).toBe(
      'implicit-deny',
    );
    expect(evaluate(all, 'kms:Decrypt', KEY, {})).toBe('allow');
  });

  it('a Deny with a condition denies only when it holds; unknown operators are not evaluated', () => {
    const docs = [
      { Statement: { Effect: 'Allow', Action: 'kms:*', Resource: '*' } },
      {
        Statement: {
          Effect: 'Deny',
          Action: 'kms:Decrypt',
          Resource: KEY,
          Condition: { StringEquals: { [FIELD]: 'paymentToken' } },
        },
      },
    ];
    expect(evaluate(docs, 'kms:Decrypt', KEY, { [FIELD]: 'paymentToken' })).toBe('explicit-deny');
    expect(evaluate(docs, 'kms:Decrypt', KEY, { [FIELD]: 'shippingAddress' })).toBe('allow');
    const bool = grant({ Bool: { 'aws:SecureTransport': 'true' } });
    expect(evaluate(bool, 'kms:Decrypt', KEY, {})).toBe('allow');
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
