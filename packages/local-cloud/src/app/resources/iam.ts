/**
 * AWS::IAM::Role, Policy and ManagedPolicy: their documents are registered
 * with the cloud's IAM registry, which the local KMS checks callers against.
 * AWS managed policies (ManagedPolicyArns) are named but not known locally.
 */
import type { PolicyDocument } from '../../iam/policy.js';
import { prop, type ResourceContext, type ResourceHandler } from './types.js';

function roleNames(ctx: ResourceContext): string[] {
  const roles = ctx.properties['Roles'];
  return Array.isArray(roles)
    ? roles.map((r) => String(r).replace(/^arn:.*:role\/(?:.*\/)?/, ''))
    : [];
}

export const iamRole: ResourceHandler = async (ctx) => {
  const name = prop(ctx, 'RoleName', 'string') ?? ctx.generateName();
  const inline = Array.isArray(ctx.properties['Policies'])
    ? (ctx.properties['Policies'] as { PolicyDocument?: PolicyDocument }[]).flatMap((p) =>
        p.PolicyDocument ? [p.PolicyDocument] : [],
      )
    : [];
  const managed = ctx.properties['ManagedPolicyArns'];
  const arn = `arn:aws:iam::${ctx.env.accountId}:role/${name}`;
  ctx.env.iam?.putRole(name, inline, Array.isArray(managed) ? managed.map(String) : []);
  return {
    physicalId: name,
    attributes: { Arn: arn, RoleId: `AROA${name.slice(-16).toUpperCase()}` },
  };
};

export const iamPolicy: ResourceHandler = async (ctx) => {
  const name = prop(ctx, 'PolicyName', 'string') ?? ctx.generateName();
  const doc = (prop(ctx, 'PolicyDocument', 'object') ?? {}) as PolicyDocument;
  ctx.env.iam?.putPolicy(`${ctx.stack.stackName}/${ctx.logicalId}`, doc, roleNames(ctx));
  return { physicalId: name, attributes: { Id: name } };
};

export const iamManagedPolicy: ResourceHandler = async (ctx) => {
  const name = prop(ctx, 'ManagedPolicyName', 'string') ?? ctx.generateName();
  const arn = `arn:aws:iam::${ctx.env.accountId}:policy/${name}`;
  const doc = (prop(ctx, 'PolicyDocument', 'object') ?? {}) as PolicyDocument;
  ctx.env.iam?.putPolicy(arn, doc, roleNames(ctx));
  return { physicalId: arn, attributes: { PolicyArn: arn } };
};
