/** AWS::SecretsManager::Secret, created on the edge (a given or a generated secret string). */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  ResourceExistsException,
} from '@aws-sdk/client-secrets-manager';
import { prop, type ResourceContext, type ResourceHandler } from './types.js';

/** `GenerateSecretString`: a password, or a JSON template with the password under a key. */
async function generate(ctx: ResourceContext, spec: Record<string, unknown>): Promise<string> {
  const { SecretStringTemplate, GenerateStringKey, ...options } = spec;
  const { RandomPassword } = await ctx.env.secrets.send(
    new GetRandomPasswordCommand({
      PasswordLength: options['PasswordLength'] as number | undefined,
      ExcludeCharacters: options['ExcludeCharacters'] as string | undefined,
      ExcludeNumbers: options['ExcludeNumbers'] as boolean | undefined,
      ExcludePunctuation: options['ExcludePunctuation'] as boolean | undefined,
      ExcludeUppercase: options['ExcludeUppercase'] as boolean | undefined,
      ExcludeLowercase: options['ExcludeLowercase'] as boolean | undefined,
      IncludeSpace: options['IncludeSpace'] as boolean | undefined,
      RequireEachIncludedType: options['RequireEachIncludedType'] as boolean | undefined,
    }),
  );
  if (typeof SecretStringTemplate !== 'string') return RandomPassword!;
  const template = JSON.parse(SecretStringTemplate) as Record<string, unknown>;
  template[String(GenerateStringKey)] = RandomPassword;
  return JSON.stringify(template);
}

export const secret: ResourceHandler = async (ctx) => {
  const name = prop(ctx, 'Name', 'string') ?? ctx.generateName();
  const given = prop(ctx, 'SecretString', 'string');
  const spec = prop(ctx, 'GenerateSecretString', 'object');
  const value = given ?? (spec ? await generate(ctx, spec) : '');
  let arn: string | undefined;
  try {
    arn = (
      await ctx.env.secrets.send(
        new CreateSecretCommand({
          Name: name,
          Description: prop(ctx, 'Description', 'string'),
          SecretString: value,
        }),
      )
    ).ARN;
  } catch (e) {
    if (!(e instanceof ResourceExistsException)) throw e;
    arn = (await ctx.env.secrets.send(new DescribeSecretCommand({ SecretId: name }))).ARN;
  }
  // Ref of a secret is its ARN.
  return { physicalId: arn!, attributes: { Id: arn } };
};
