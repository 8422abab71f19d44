/**
 * A small CloudFormation: creates one stack's resources in dependency order
 * (independent ones at the same time), resolving intrinsics against what was
 * already created, then resolves the stack's outputs and exports.
 */
import { createHash } from 'node:crypto';
import { handlerFor } from '../resources/index.js';
import type { DeployEnv } from '../resources/types.js';
import type { StackArtifact, TemplateResource } from './assembly.js';
import {
  evaluateCondition,
  referencedNames,
  resolve,
  TemplateError,
  type Scope,
} from './intrinsics.js';
import { physicalName, type Random } from './physical-names.js';

export interface DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  /** What `Ref` returns: a table or function name, a queue URL, an API id... */
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Accepted but not created (see SKIPPED_TYPES). */
  readonly skipped: boolean;
  /** The template's properties, intrinsics resolved (what the read APIs describe). */
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface DeployedStack {
  readonly stackName: string;
  /** `arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>`, what `AWS::StackId` resolves to. */
  readonly stackId: string;
  readonly description?: string;
  /** When the stack was deployed locally. */
  readonly createdAt: Date;
  readonly resources: Readonly<Record<string, DeployedResource>>;
  /** Output values by output logical id. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Export names by output logical id, for the outputs that export. */
  readonly exportNames: Readonly<Record<string, string>>;
}

export interface DeployOptions {
  readonly env: DeployEnv;
  /** Exports of the stacks deployed so far, by export name; this stack's are added. */
  readonly exports: Map<string, unknown>;
  /**
   * Seed of generated names and ids. The same seed gives the same names on
   * every run (so a persisted DynamoDB keeps its tables), like a stack that
   * keeps its resources across updates.
   */
  readonly nameSeed: string;
}

/** A deterministic random source from a string (mulberry32 over a SHA-256 seed). */
export function seededRandom(seed: string): Random {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PSEUDO = new Set([
  'AWS::Region',
  'AWS::AccountId',
  'AWS::Partition',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::URLSuffix',
  'AWS::NotificationARNs',
  'AWS::NoValue',
]);

export async function deployStack(
  stack: StackArtifact,
  opts: DeployOptions,
): Promise<DeployedStack> {
  const { env, exports } = opts;
  const t = stack.template;
  const resources = t.Resources ?? {};
  const deployed: Record<string, DeployedResource> = {};
  const conditions = new Map<string, boolean>();
  const stackId = `arn:aws:cloudformation:${env.region}:${env.accountId}:stack/${stack.stackName}/${uuidFrom(`${opts.nameSeed}/${stack.stackName}`)}`;

  const scope: Scope = {
    region: env.region,
    mappings: t.Mappings,
    ref(name) {
      switch (name) {
        case 'AWS::Region':
          return env.region;
        case 'AWS::AccountId':
          return env.accountId;
        case 'AWS::Partition':
          return 'aws';
        case 'AWS::StackName':
          return stack.stackName;
        case 'AWS::StackId':
          return stackId;
        case 'AWS::URLSuffix':
          return 'amazonaws.com';
        case 'AWS::NotificationARNs':
          return [];
      }
      if (t.Parameters?.[name]) {
        const parameter = t.Parameters[name];
        if (parameter.Type === SSM_PARAMETER_VALUE && stack.parameters[name] === undefined) {
          return ssmParameterValue(stack.stackName, name, String(parameter.Default), env);
        }
        const value = stack.parameters[name] ?? parameter.Default;
        if (value === undefined)
          throw new TemplateError(
            `${stack.stackName}: parameter ${name} has no default and no value was given`,
          );
        return value;
      }
      const r = deployed[name];
      if (r) return r.physicalId;
      throw new TemplateError(
        `${stack.stackName}: Ref to ${name}, which is not a parameter or a resource of this stack` +
          (resources[name] ? ' that exists (its Condition is false)' : ''),
      );
    },
    getAtt(logicalId, attribute) {
      const r = deployed[logicalId];
      if (!r)
        throw new TemplateError(
          `${stack.stackName}: Fn::GetAtt ${logicalId}.${attribute}: no such resource`,
        );
      const v = r.attributes[attribute];
      if (v !== undefined) return v;
      if (r.skipped)
        return attribute.endsWith('Arn') ? (r.attributes['Arn'] ?? r.physicalId) : r.physicalId;
      throw new TemplateError(
        `${stack.stackName}: Fn::GetAtt ${logicalId}.${attribute}: the local cloud does not provide ` +
          `${attribute} for ${r.type} (it provides ${Object.keys(r.attributes).join(', ') || 'none'})`,
      );
    },
    importValue(name) {
      if (!exports.has(name))
        throw new TemplateError(
          `${stack.stackName}: Fn::ImportValue ${name}: no stack deployed so far exports it ` +
            `(exports: ${[...exports.keys()].join(', ') || 'none'})`,
        );
      return exports.get(name);
    },
    condition(name) {
      const known = conditions.get(name);
      if (known !== undefined) return known;
      const expr = t.Conditions?.[name];
      if (expr === undefined)
        throw new TemplateError(`${stack.stackName}: no condition named ${name}`);
      const value = evaluateCondition(expr, scope, `Conditions.${name}`);
      conditions.set(name, value);
      return value;
    },
  };

  const active = Object.entries(resources).filter(
    ([, r]) => !r.Condition || scope.condition(r.Condition),
  );
  const activeIds = new Set(active.map(([id]) => id));
  const deps = new Map<string, string[]>();
  for (const [id, r] of active) {
    const refs = referencedNames(r.Properties ?? {});
    for (const d of dependsOn(r)) refs.add(d);
    deps.set(
      id,
      [...refs].filter((n) => !PSEUDO.has(n) && !t.Parameters?.[n] && activeIds.has(n) && n !== id),
    );
  }
  checkCycles(stack.stackName, deps);

  const creating = new Map<string, Promise<void>>();
  const create = (id: string): Promise<void> => {
    let p = creating.get(id);
    if (p) return p;
    p = (async () => {
      await Promise.all(deps.get(id)!.map(create));
      const r = resources[id]!;
      const where = `${stack.stackName}/${id}`;
      const lookup = handlerFor(r.Type, `${where}`);
      let properties: Record<string, unknown>;
      try {
        properties = resolve(r.Properties ?? {}, scope, `${where}.Properties`) as Record<
          string,
          unknown
        >;
      } catch (e) {
        throw new TemplateError(`${where} (${r.Type}): ${(e as Error).message}`);
      }
      const seed = `${opts.nameSeed}/${stack.stackName}/${id}`;
      try {
        const created = await lookup.handler({
          env,
          stack,
          logicalId: id,
          type: r.Type,
          properties,
          cdkPath:
            typeof r.Metadata?.['aws:cdk:path'] === 'string'
              ? r.Metadata['aws:cdk:path']
              : undefined,
          where,
          generateName: (reserve) =>
            physicalName(
              { stackName: stack.stackName, logicalId: id, type: r.Type, reserve },
              seededRandom(seed),
            ),
          generateId: (length, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789') => {
            const random = seededRandom(`${seed}/id`);
            let s = '';
            for (let i = 0; i < length; i++) s += alphabet[Math.floor(random() * alphabet.length)];
            return s;
          },
        });
        deployed[id] = {
          logicalId: id,
          type: r.Type,
          physicalId: created.physicalId,
          attributes: created.attributes ?? {},
          skipped: lookup.kind === 'skip',
          properties,
        };
      } catch (e) {
        const message = (e as Error).message;
        throw new Error(message.startsWith(where) ? message : `${where} (${r.Type}): ${message}`, {
          cause: e,
        });
      }
    })();
    creating.set(id, p);
    return p;
  };
  // Each resource waits for its own dependencies; a failure fails the stack.
  const results = await Promise.allSettled(active.map(([id]) => create(id)));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;

  const outputs: Record<string, unknown> = {};
  const exportNames: Record<string, string> = {};
  for (const [id, o] of Object.entries(t.Outputs ?? {})) {
    if (o.Condition && !scope.condition(o.Condition)) continue;
    const value = resolve(o.Value, scope, `${stack.stackName}.Outputs.${id}`);
    outputs[id] = value;
    if (o.Export) {
      const name = String(resolve(o.Export.Name, scope, `${stack.stackName}.Outputs.${id}.Export`));
      if (exports.has(name))
        throw new TemplateError(
          `${stack.stackName}: export ${name} is already exported by another stack`,
        );
      exports.set(name, value);
      exportNames[id] = name;
    }
  }
  return {
    stackName: stack.stackName,
    stackId,
    ...(typeof t.Description === 'string' && { description: t.Description }),
    createdAt: new Date(),
    resources: deployed,
    outputs,
    exportNames,
  };
}

/** A template parameter CloudFormation fills in from Parameter Store: its Default is the name. */
const SSM_PARAMETER_VALUE = 'AWS::SSM::Parameter::Value<String>';

function ssmParameterValue(
  stackName: string,
  name: string,
  ssmName: string,
  env: DeployEnv,
): string {
  const value = env.parameters.get(ssmName);
  if (value === undefined) {
    throw new TemplateError(
      `${stackName}: parameter ${name} reads SSM parameter ${ssmName}, which no stack deployed so far created ` +
        `(created: ${[...env.parameters.keys()].join(', ') || 'none'}); deploy the stack that writes it first.`,
    );
  }
  return value;
}

function dependsOn(r: TemplateResource): string[] {
  if (r.DependsOn === undefined) return [];
  return typeof r.DependsOn === 'string' ? [r.DependsOn] : [...r.DependsOn];
}

function checkCycles(stackName: string, deps: Map<string, string[]>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]) => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting')
      throw new TemplateError(
        `${stackName}: resources depend on each other in a cycle: ${[...trail, id].join(' -> ')}`,
      );
    state.set(id, 'visiting');
    for (const d of deps.get(id) ?? []) visit(d, [...trail, id]);
    state.set(id, 'done');
  };
  for (const id of deps.keys()) visit(id, []);
}

function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
