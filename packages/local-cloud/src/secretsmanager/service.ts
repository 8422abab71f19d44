import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../core/errors.js';
import type { CloudContext, JsonService } from '../core/types.js';

/**
 * Secrets Manager, as much as the shop uses: the carrier webhook key is a
 * generated secret that the webhook function reads with GetSecretValue.
 * In memory. Versions carry staging labels as on AWS: PutSecretValue makes the
 * new version AWSCURRENT and moves AWSPREVIOUS to the one it replaces, so a
 * reader that accepts both (the webhook verifier) can be tested across a rotation.
 */
interface SecretVersion {
  versionId: string;
  value: string;
  createdDate: number;
  stages: Set<string>;
}

interface Secret {
  arn: string;
  name: string;
  description?: string;
  versions: SecretVersion[];
  createdDate: number;
  deleted: boolean;
}

/** The version GetSecretValue asks for: by id, by staging label, or else AWSCURRENT. */
function versionOf(s: Secret, versionId: unknown, stage: unknown): SecretVersion {
  const id = typeof versionId === 'string' && versionId ? versionId : undefined;
  const label =
    typeof stage === 'string' && stage ? stage : id === undefined ? 'AWSCURRENT' : undefined;
  const found = s.versions.find(
    (v) => (id === undefined || v.versionId === id) && (label === undefined || v.stages.has(label)),
  );
  if (!found) {
    throw new AwsError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for ${id !== undefined ? `VersionId: ${id}` : `staging label: ${label}`}`,
    );
  }
  return found;
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
            versions: [
              {
                versionId: String(input['ClientRequestToken'] ?? randomUUID()),
                value: String(input['SecretString'] ?? ''),
                createdDate: Date.now() / 1000,
                stages: new Set(['AWSCURRENT']),
              },
            ],
            createdDate: Date.now() / 1000,
            deleted: false,
          };
          secrets.set(name, secret);
          return { ARN: secret.arn, Name: name, VersionId: secret.versions[0]!.versionId };
        }
        case 'GetSecretValue': {
          const s = find(input['SecretId']);
          const v = versionOf(s, input['VersionId'], input['VersionStage']);
          return {
            ARN: s.arn,
            Name: s.name,
            VersionId: v.versionId,
            SecretString: v.value,
            VersionStages: [...v.stages],
            CreatedDate: v.createdDate,
          };
        }
        case 'PutSecretValue': {
          const s = find(input['SecretId']);
          const versionId = String(input['ClientRequestToken'] ?? randomUUID());
          const same = s.versions.find((v) => v.versionId === versionId);
          if (same) {
            // The same token again is an idempotent retry; another value under it is refused.
            if (same.value !== String(input['SecretString'] ?? '')) {
              throw new AwsError(
                'ResourceExistsException',
                `You can't modify an existing version, you can only create a new version. (ClientRequestToken ${versionId} already names a version with another value.)`,
              );
            }
            return {
              ARN: s.arn,
              Name: s.name,
              VersionId: versionId,
              VersionStages: [...same.stages],
            };
          }
          // The new version becomes AWSCURRENT; the one it replaces becomes AWSPREVIOUS.
          for (const v of s.versions) v.stages.delete('AWSPREVIOUS');
          const current = s.versions.find((v) => v.stages.has('AWSCURRENT'));
          if (current) {
            current.stages.delete('AWSCURRENT');
            current.stages.add('AWSPREVIOUS');
          }
          s.versions = s.versions.filter((v) => v.stages.size > 0);
          s.versions.push({
            versionId,
            value: String(input['SecretString'] ?? ''),
            createdDate: Date.now() / 1000,
            stages: new Set(['AWSCURRENT']),
          });
          return { ARN: s.arn, Name: s.name, VersionId: versionId, VersionStages: ['AWSCURRENT'] };
        }
        case 'DescribeSecret': {
          const s = find(input['SecretId']);
          return {
            ARN: s.arn,
            Name: s.name,
            Description: s.description,
            CreatedDate: s.createdDate,
            VersionIdsToStages: Object.fromEntries(
              s.versions.map((v) => [v.versionId, [...v.stages]]),
            ),
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
