/**
 * Small readers over synthesized CloudFormation templates: resources by type,
 * the logical ids a value refers to, and cross-stack imports resolved to the
 * exporting stack's resource.
 */
import type { Template } from 'aws-cdk-lib/assertions';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface IamStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

export function resources(template: Template): Record<string, CfnResource> {
  return (template.toJSON() as { Resources?: Record<string, CfnResource> }).Resources ?? {};
}

export function ofType(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(resources(template)).filter(([, r]) => r.Type === type);
}

export function props(resource: CfnResource): Record<string, unknown> {
  return resource.Properties ?? {};
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The logical id of `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }`, else undefined. */
export function refOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

const SSM_PARAMETER_TYPE = 'AWS::SSM::Parameter::Value<String>';

/**
 * Every logical id, export name and string literal found anywhere inside
 * `value`. With `template`, a `Ref` to a parameter read from SSM counts as an
 * import of that SSM parameter's name (see `exportsOf`).
 */
export function walk(
  value: unknown,
  template?: Template,
): { refs: string[]; imports: string[]; literals: string[] } {
  const out = { refs: [] as string[], imports: [] as string[], literals: [] as string[] };
  const parameters =
    (
      template?.toJSON() as
        { Parameters?: Record<string, { Type: string; Default?: string }> } | undefined
    )?.Parameters ?? {};
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      out.literals.push(v);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach(visit);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    const ref = refOf(o);
    if (ref !== undefined) {
      const parameter = parameters[ref];
      if (parameter?.Type === SSM_PARAMETER_TYPE && parameter.Default) {
        out.imports.push(parameter.Default);
      } else if (!ref.startsWith('AWS::')) out.refs.push(ref);
      return;
    }
    if (typeof o['Fn::ImportValue'] === 'string') {
      out.imports.push(o['Fn::ImportValue']);
      return;
    }
    Object.values(o).forEach(visit);
  };
  visit(value);
  return out;
}

/** Statements of every AWS::IAM::Policy in the template, with the policy's roles. */
export function policyStatements(
  template: Template,
): { policyId: string; roles: string[]; statement: IamStatement }[] {
  return ofType(template, 'AWS::IAM::Policy').flatMap(([policyId, policy]) => {
    const p = props(policy);
    const doc = p.PolicyDocument as { Statement: IamStatement[] };
    const roles = asArray(p.Roles as unknown[]).map((r) => refOf(r) ?? JSON.stringify(r));
    return doc.Statement.map((statement) => ({ policyId, roles, statement }));
  });
}

/**
 * Resolves `Fn::ImportValue` names, and the names of SSM parameters some
 * stack writes, to the exporting (writing) stack's value, so a cross-stack
 * reference can be followed to the resource it names.
 */
export function exportsOf(
  templates: Iterable<[string, Template]>,
): Map<string, { stack: string; value: unknown }> {
  const map = new Map<string, { stack: string; value: unknown }>();
  for (const [stack, template] of templates) {
    const outputs =
      (
        template.toJSON() as {
          Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
        }
      ).Outputs ?? {};
    for (const output of Object.values(outputs)) {
      if (output.Export) map.set(output.Export.Name, { stack, value: output.Value });
    }
    for (const [, parameter] of ofType(template, 'AWS::SSM::Parameter')) {
      const { Name, Value } = props(parameter);
      if (typeof Name === 'string') map.set(Name, { stack, value: Value });
    }
  }
  return map;
}

/** The function whose Role is `roleId`. */
export function functionOfRole(template: Template, roleId: string): string | undefined {
  return ofType(template, 'AWS::Lambda::Function').find(
    ([, fn]) => refOf(props(fn).Role) === roleId,
  )?.[0];
}

/**
 * Logical ids of the template's dead-letter queues: every queue some queue's
 * redrive policy names, some rule target dead-letters to, some event-source
 * mapping sends failed batches to, or some function gives the schedules it
 * creates as their dead-letter queue (an environment variable `*_DLQ_ARN`).
 */
export function deadLetterQueueIds(template: Template): Set<string> {
  const ids = new Set<string>();
  const add = (value: unknown) => {
    const id = refOf(value);
    if (id) ids.add(id);
  };
  for (const [, queue] of ofType(template, 'AWS::SQS::Queue')) {
    add((props(queue).RedrivePolicy as Record<string, unknown> | undefined)?.deadLetterTargetArn);
  }
  for (const [, rule] of ofType(template, 'AWS::Events::Rule')) {
    for (const target of asArray(props(rule).Targets as Record<string, unknown>[])) {
      add((target.DeadLetterConfig as Record<string, unknown> | undefined)?.Arn);
    }
  }
  for (const [, m] of ofType(template, 'AWS::Lambda::EventSourceMapping')) {
    add(
      (props(m).DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)
        ?.OnFailure?.Destination,
    );
  }
  for (const [, fn] of ofType(template, 'AWS::Lambda::Function')) {
    const vars = (props(fn).Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    for (const [name, value] of Object.entries(vars ?? {})) if (/_DLQ_ARN$/.test(name)) add(value);
  }
  return ids;
}

/**
 * A `Fn::Join` (or a plain string) as one string, each non-string part
 * replaced by `@@<n>@@`; `parts[n]` is that part. A dashboard body becomes
 * parseable JSON this way, its tokens left inside its strings.
 */
export function flattenJoin(value: unknown): { text: string; parts: unknown[] } {
  if (typeof value === 'string') return { text: value, parts: [] };
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`Not a string or Fn::Join: ${JSON.stringify(value)}`);
  const parts: unknown[] = [];
  const text = join[1]
    .map((p) => {
      if (typeof p === 'string') return p;
      parts.push(p);
      return `@@${parts.length - 1}@@`;
    })
    .join(join[0]);
  return { text, parts };
}
