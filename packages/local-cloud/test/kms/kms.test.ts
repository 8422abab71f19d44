import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

let cloud: LocalCloud;
let admin: KMSClient;
const client = (accessKeyId: string) =>
  new KMSClient({
    endpoint: cloud.endpoint,
    region: cloud.context.region,
    credentials: { accessKeyId, secretAccessKey: 'local' },
  });

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
  admin = client('local');
});
afterAll(async () => {
  admin.destroy();
  await cloud.stop();
});

async function newKey(): Promise<string> {
  const { KeyMetadata } = await admin.send(new CreateKeyCommand({ Description: 'test' }));
  return KeyMetadata!.Arn!;
}

describe('local KMS', () => {
  it('round-trips a data key and a payload; Decrypt finds the key from the blob', async () => {
    const arn = await newKey();
    const dk = await admin.send(new GenerateDataKeyCommand({ KeyId: arn, KeySpec: 'AES_256' }));
    expect(dk.Plaintext).toHaveLength(32);
    const back = await admin.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
    expect(Buffer.from(back.Plaintext!)).toEqual(Buffer.from(dk.Plaintext!));
    expect(back.KeyId).toBe(arn);

    const context = { orderId: 'o-1', field: 'address' };
    const enc = await admin.send(
      new EncryptCommand({
        KeyId: arn,
        Plaintext: Buffer.from('42 Main St'),
        EncryptionContext: context,
      }),
    );
    const dec = await admin.send(
      new DecryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        EncryptionContext: { field: 'address', orderId: 'o-1' },
      }),
    );
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('42 Main St');
    const described = await admin.send(new DescribeKeyCommand({ KeyId: arn.split('/').pop() }));
    expect(described.KeyMetadata?.KeyState).toBe('Enabled');
  });

  it('refuses a mismatched encryption context and a tampered blob with InvalidCiphertextException', async () => {
    const arn = await newKey();
    const enc = await admin.send(
      new EncryptCommand({
        KeyId: arn,
        Plaintext: Buffer.from('x'),
        EncryptionContext: { orderId: 'o-1' },
      }),
    );
    await expect(
      admin.send(
        new DecryptCommand({
          CiphertextBlob: enc.CiphertextBlob,
          EncryptionContext: { orderId: 'o-2' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    await expect(
      admin.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
    ).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
    const tampered = Buffer.from(enc.CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    await expect(
      admin.send(
        new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: { orderId: 'o-1' } }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
    await expect(admin.send(new DescribeKeyCommand({ KeyId: 'nope' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });

  it("checks a function role's policies: AccessDenied without the grant, success with it", async () => {
    const arn = await newKey();
    cloud.iam.putRole('EncryptOnly');
    cloud.iam.putPolicy(
      'Grant',
      {
        Statement: [
          { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey*'], Resource: arn },
        ],
      },
      ['EncryptOnly'],
    );
    const fn = client(cloud.iam.registerCaller('EncryptOnly', 'writer'));
    try {
      const enc = await fn.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
      await expect(
        fn.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })),
      ).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: `User: arn:aws:sts::000000000000:assumed-role/EncryptOnly/writer is not authorized to perform: kms:Decrypt on resource: ${arn} because no identity-based policy allows the kms:Decrypt action`,
      });
    } finally {
      fn.destroy();
    }
  });
  it('evaluates a grant bound by encryption context: the right field decrypts, another is refused', async () => {
    const arn = await newKey();
    cloud.iam.putRole('PaymentsRole');
    cloud.iam.putPolicy(
      'FieldGrant',
      {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: arn,
            Condition: { StringEquals: { 'kms:EncryptionContext:field': 'paymentToken' } },
          },
        ],
      },
      ['PaymentsRole'],
    );
    const fn = client(cloud.iam.registerCaller('PaymentsRole', 'payments'));
    try {
      const seal = async (field: string) =>
        (
          await admin.send(
            new EncryptCommand({
              KeyId: arn,
              Plaintext: Buffer.from('x'),
              EncryptionContext: { field },
            }),
          )
        ).CiphertextBlob;
      const token = await seal('paymentToken');
      const address = await seal('shippingAddress');
      const out = await fn.send(
        new DecryptCommand({ CiphertextBlob: token, EncryptionContext: { field: 'paymentToken' } }),
      );
      expect(Buffer.from(out.Plaintext!).toString()).toBe('x');
      await expect(
        fn.send(
          new DecryptCommand({
            CiphertextBlob: address,
            EncryptionContext: { field: 'shippingAddress' },
          }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDeniedException' });
      await expect(fn.send(new DecryptCommand({ CiphertextBlob: token }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });
    } finally {
      fn.destroy();
    }
  });
});
