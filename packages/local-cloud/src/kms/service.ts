/**
 * KMS (`TrentService`, JSON 1.1): symmetric keys from the template, with
 * Encrypt, Decrypt, GenerateDataKey(WithoutPlaintext), DescribeKey, CreateKey,
 * CreateAlias and ListKeys. Every key action is checked against the caller's
 * role (identity-based policies only; key policies are not evaluated), with the
 * request's encryption context as `kms:EncryptionContext:*` condition keys.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../core/errors.js';
import type { CloudContext, JsonService } from '../core/types.js';
import type { RequestContext } from '../iam/policy.js';
import type { IamRegistry } from '../iam/registry.js';
import { contextAad, keyIdOf, open, seal } from './ciphertext.js';

interface Key {
  readonly keyId: string;
  readonly arn: string;
  readonly master: Buffer;
  readonly description: string;
  readonly created: Date;
}

type Input = Record<string, unknown>;
interface Request {
  headers?: Record<string, string | string[] | undefined>;
}

const MAX_PLAINTEXT = 4096;

export class KmsService implements JsonService {
  readonly targetPrefix = 'TrentService';
  private readonly keys = new Map<string, Key>();
  private readonly aliases = new Map<string, string>();

  constructor(
    private readonly context: CloudContext,
    private readonly iam: IamRegistry,
  ) {}

  async handle(action: string, input: Input, request?: Request): Promise<unknown> {
    const caller = accessKeyIdOf(request);
    switch (action) {
      case 'CreateKey':
        return { KeyMetadata: this.metadata(this.create(str(input, 'Description') ?? '')) };
      case 'CreateAlias':
        return this.createAlias(input);
      case 'ListKeys':
        return {
          Keys: [...this.keys.values()].map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })),
          Truncated: false,
        };
      case 'DescribeKey': {
        const key = this.find(input);
        this.iam.authorize(caller, 'kms:DescribeKey', key.arn);
        return { KeyMetadata: this.metadata(key) };
      }
      case 'Encrypt': {
        const key = this.find(input);
        this.iam.authorize(caller, 'kms:Encrypt', key.arn, conditionKeys(input));
        const plaintext = blob(input, 'Plaintext');
        if (plaintext.length === 0 || plaintext.length > MAX_PLAINTEXT)
          throw validation(
            `Plaintext must be 1 to ${MAX_PLAINTEXT} bytes; received ${plaintext.length}.`,
          );
        return this.encrypted(key, plaintext, input);
      }
      case 'GenerateDataKey':
      case 'GenerateDataKeyWithoutPlaintext': {
        const key = this.find(input);
        this.iam.authorize(caller, `kms:${action}`, key.arn, conditionKeys(input));
        const plaintext = randomBytes(dataKeyBytes(input));
        const out = this.encrypted(key, plaintext, input);
        return action === 'GenerateDataKey'
          ? { ...out, Plaintext: plaintext.toString('base64') }
          : out;
      }
      case 'Decrypt':
        return this.decrypt(input, caller);
      default:
        throw new AwsError(
          'UnknownOperationException',
          `The local KMS does not emulate ${action}; it has CreateKey, CreateAlias, ListKeys, DescribeKey, Encrypt, Decrypt, GenerateDataKey and GenerateDataKeyWithoutPlaintext.`,
        );
    }
  }

  /** A new symmetric key (a resource handler's CreateKey lands here). */
  create(description: string): Key {
    const keyId = randomUUID();
    const key: Key = {
      keyId,
      arn: `arn:aws:kms:${this.context.region}:${this.context.accountId}:key/${keyId}`,
      master: randomBytes(32),
      description,
      created: new Date(),
    };
    this.keys.set(keyId, key);
    return key;
  }

  private createAlias(input: Input): Record<string, never> {
    const name = str(input, 'AliasName');
    if (!name?.startsWith('alias/') || name.startsWith('alias/aws/'))
      throw validation(
        `AliasName must start with 'alias/' (and not 'alias/aws/'); received ${JSON.stringify(name)}.`,
      );
    if (this.aliases.has(name))
      throw new AwsError(
        'AlreadyExistsException',
        `An alias with the name arn:aws:kms:${this.context.region}:${this.context.accountId}:${name} already exists`,
      );
    const key = this.find({ KeyId: input['TargetKeyId'] });
    this.aliases.set(name, key.keyId);
    return {};
  }

  private decrypt(input: Input, caller: string | undefined): unknown {
    const ciphertext = blob(input, 'CiphertextBlob');
    const keyId = keyIdOf(ciphertext);
    const key = keyId === undefined ? undefined : this.keys.get(keyId);
    if (!key) throw new AwsError('InvalidCiphertextException', '');
    if (input['KeyId'] !== undefined && this.find(input).keyId !== key.keyId)
      throw new AwsError(
        'IncorrectKeyException',
        'The key ID in the request does not identify a CMK that can perform this operation.',
      );
    this.iam.authorize(caller, 'kms:Decrypt', key.arn, conditionKeys(input));
    const plaintext = open(ciphertext, key.master, contextAad(encryptionContext(input)));
    if (!plaintext) throw new AwsError('InvalidCiphertextException', '');
    return {
      KeyId: key.arn,
      Plaintext: plaintext.toString('base64'),
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  }

  private encrypted(key: Key, plaintext: Buffer, input: Input) {
    const sealed = seal(key.keyId, key.master, plaintext, contextAad(encryptionContext(input)));
    return {
      KeyId: key.arn,
      CiphertextBlob: sealed.toString('base64'),
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  }

  /** By key id, key ARN, alias name or alias ARN, as KMS accepts them. */
  private find(input: Input): Key {
    const ref = str(input, 'KeyId');
    if (!ref)
      throw validation(
        "KeyId is required: a key id, key ARN, alias name ('alias/...') or alias ARN.",
      );
    const alias = /^(?:arn:[^:]+:kms:[^:]*:\d{12}:)?(alias\/.+)$/.exec(ref)?.[1];
    const id = alias
      ? this.aliases.get(alias)
      : ref.replace(/^arn:[^:]+:kms:[^:]*:\d{12}:key\//, '');
    const key = id === undefined ? undefined : this.keys.get(id);
    if (!key) {
      const arn = ref.startsWith('arn:')
        ? ref
        : `arn:aws:kms:${this.context.region}:${this.context.accountId}:${alias ?? `key/${ref}`}`;
      throw new AwsError(
        'NotFoundException',
        alias ? `Alias ${arn} is not found.` : `Key '${arn}' does not exist`,
      );
    }
    return key;
  }

  private metadata(k: Key) {
    return {
      AWSAccountId: this.context.accountId,
      KeyId: k.keyId,
      Arn: k.arn,
      CreationDate: k.created.getTime() / 1000,
      Enabled: true,
      Description: k.description,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    };
  }
}

/** The SigV4 access key id of the request, which says which function (role) is calling. */
function accessKeyIdOf(request: Request | undefined): string | undefined {
  const auth = request?.headers?.['authorization'];
  const value = Array.isArray(auth) ? auth[0] : auth;
  return value ? /Credential=([^/,\s]+)\//.exec(value)?.[1] : undefined;
}

function dataKeyBytes(input: Input): number {
  const spec = input['KeySpec'];
  const n = input['NumberOfBytes'];
  if (spec !== undefined && n !== undefined)
    throw validation('Give KeySpec or NumberOfBytes, not both.');
  if (spec === 'AES_256' || (spec === undefined && n === undefined)) return 32;
  if (spec === 'AES_128') return 16;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 1024) return n;
  throw validation(
    `KeySpec must be AES_256 or AES_128, or NumberOfBytes 1 to 1024; received ${JSON.stringify(spec ?? n)}.`,
  );
}

/**
 * The request's KMS condition keys: `kms:EncryptionContext:<key>` per pair of
 * the request's encryption context, and `kms:EncryptionContextKeys`, as KMS
 * gives IAM to evaluate a policy's Conditions with.
 */
function conditionKeys(input: Input): RequestContext {
  const context = encryptionContext(input) ?? {};
  const keys: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(context)) keys[`kms:EncryptionContext:${k}`] = v;
  if (Object.keys(context).length > 0) keys['kms:EncryptionContextKeys'] = Object.keys(context);
  return keys;
}

function encryptionContext(input: Input): Record<string, string> | undefined {
  const c = input['EncryptionContext'];
  if (c === undefined) return undefined;
  if (typeof c !== 'object' || c === null || Object.values(c).some((v) => typeof v !== 'string'))
    throw validation('EncryptionContext must be a map of strings to strings.');
  return c as Record<string, string>;
}

function blob(input: Input, name: string): Buffer {
  const v = input[name];
  if (typeof v !== 'string') throw validation(`${name} is required (a base64 blob).`);
  return Buffer.from(v, 'base64');
}

function str(input: Input, name: string): string | undefined {
  const v = input[name];
  return typeof v === 'string' ? v : undefined;
}

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}
