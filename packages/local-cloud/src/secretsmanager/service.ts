import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../core/errors.js';
import type { CloudContext, JsonService } from '../core/types.js';

/**
 * Secrets Manager, as much as the shop uses: the carrier webhook key is a
 * generated secret that the webhook function reads with GetSecretValue.
 * In memory; versions are kept only as AWSCURRENT (no staging labels beyond it).
 */
interface Secret {
  arn: string;
  name: string;
  description?: string;
  value: string;
  versionId: string;
  createdDate: number;
  deleted: boolean;
}

const EXCLUDED_DEFAULT = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** GetRandomPassword / GenerateSecretString semantics (length, exclusions). */
export function randomPassword(options: {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludePunctuation?: boolean;
  ExcludeNumbers?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeLowercase?: boolean;
  IncludeSpace?: boolean;
}): string {
  let alphabet = '';
  if (!options.ExcludeLowercase) alphabet += 'abcdefghijklmnopqrstuvwxyz';
  if (!options.ExcludeUppercase) alphabet += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (!options.ExcludeNumbers) alphabet += '0123456789';
  if (!options.ExcludePunctuation) alphabet += EXCLUDED_DEFAULT.trim();
  if (options.IncludeSpace) alphabet += ' ';
  const excluded = new Set(options.ExcludeCharacters ?? '');
  const chars = [...alphabet].filter((c) => !excluded.has(c));
  if (chars.length === 0)
    throw new AwsError(
      'InvalidParameterException',
      'No characters left to generate a password from.',
    );
  const length = options.PasswordLength ?? 32;
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => chars[b % chars.length]).join('');
}

export function createSecretsManager(ctx: CloudContext): JsonService {
  const secrets = new Map<string, Secret>();

  const find = (id: unknown): Secret => {
    const key = String(id ?? '');
    const secret = secrets.get(key) ?? [...secrets.values()].find((s) => s.arn === key);
    if (!secret || secret.deleted) {
      throw new AwsError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    }
    return secret;
  };

  return {
    targetPrefix: 'secretsmanager',
    async handle(action, input) {
      switch (action) {
        case 'CreateSecret': {
          const name = String(input['Name'] ?? '');
          if (!name) throw new AwsError('InvalidParameterException', 'Name is required.');
          if (secrets.get(name) && !secrets.get(name)!.deleted) {
            throw new AwsError(
              'ResourceExistsException',
              `The operation failed because the secret ${name} already exists.`,
            );
          }
          const suffix = randomBytes(3).toString('hex');
          const secret: Secret = {
            arn: `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${name}-${suffix}`,
            name,
            description: input['Description'] as string | undefined,
            value: String(input['SecretString'] ?? ''),
            versionId: String(input['ClientRequestToken'] ?? randomUUID()),
            createdDate: Date.now() / 1000,
            deleted: false,
          };
          secrets.set(name, secret);
          return { ARN: secret.arn, Name: name, VersionId: secret.versionId };
        }
        case 'GetSecretValue': {
          const s = find(input['SecretId']);
          return {
            ARN: s.arn,
            Name: s.name,
            VersionId: s.versionId,
            SecretString: s.value,
            VersionStages: ['AWSCURRENT'],
            CreatedDate: s.createdDate,
          };
        }
        case 'PutSecretValue': {
          const s = find(input['SecretId']);
          s.value = String(input['SecretString'] ?? '');
          s.versionId = String(input['ClientRequestToken'] ?? randomUUID());
          return {
            ARN: s.arn,
            Name: s.name,
            VersionId: s.versionId,
            VersionStages: ['AWSCURRENT'],
          };
        }
        case 'DescribeSecret': {
          const s = find(input['SecretId']);
          return {
            ARN: s.arn,
            Name: s.name,
            Description: s.description,
            CreatedDate: s.createdDate,
          };
        }
        case 'ListSecrets':
          return {
            SecretList: [...secrets.values()]
              .filter((s) => !s.deleted)
              .map((s) => ({ ARN: s.arn, Name: s.name, Description: s.description })),
          };
        case 'DeleteSecret': {
          const s = find(input['SecretId']);
          s.deleted = true;
          return { ARN: s.arn, Name: s.name, DeletionDate: Date.now() / 1000 };
        }
        case 'GetRandomPassword':
          return { RandomPassword: randomPassword(input) };
        default:
          throw new AwsError(
            'UnknownOperationException',
            `Secrets Manager action ${action} is not emulated by the local cloud (emulated: CreateSecret, GetSecretValue, PutSecretValue, DescribeSecret, ListSecrets, DeleteSecret, GetRandomPassword).`,
          );
      }
    },
  };
}
