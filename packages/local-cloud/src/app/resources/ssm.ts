/**
 * AWS::SSM::Parameter (String and StringList): kept in the app's local
 * Parameter Store (DeployEnv.parameters), where template parameters of type
 * `AWS::SSM::Parameter::Value<String>` of stacks deployed later read them.
 */
import { prop, required, type ResourceHandler } from './types.js';

export const ssmParameter: ResourceHandler = async (ctx) => {
  const name = prop(ctx, 'Name', 'string') ?? `/${ctx.generateName()}`;
  const type = prop(ctx, 'Type', 'string') ?? 'String';
  if (type !== 'String' && type !== 'StringList') {
    throw new Error(
      `${ctx.where} (${ctx.type}): Type ${type} is not supported by the local cloud; use String or StringList.`,
    );
  }
  const value = required(ctx, 'Value', prop(ctx, 'Value', 'string'));
  ctx.env.parameters.set(name, value);
  // Ref of a parameter is its name.
  return { physicalId: name, attributes: { Type: type, Value: value } };
};
