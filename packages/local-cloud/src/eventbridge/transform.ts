import { evaluateJsonPath, parseJsonPath, type JsonPath } from './jsonpath.js';
import type { BusEvent, StoredTarget } from './model.js';
import { validationError } from './validate.js';

/**
 * What a target receives: `Input` (constant JSON), `InputPath` (a part of the
 * event), `InputTransformer` (a template filled from the event), or the whole
 * event. Semantics follow "Amazon EventBridge input transformation" in the
 * EventBridge user guide.
 */

const PREDEFINED = new Set([
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
]);
const KEY_PATTERN = /^[A-Za-z0-9_-]+$/;
const PLACEHOLDER = /^<([^<>\s"]+)>/;

export interface RenderContext {
  ruleName: string;
  ruleArn: string;
  /** ISO 8601 time the bus received the event. */
  ingestionTime: string;
}

interface Transformer {
  paths: Map<string, JsonPath>;
  template: string;
}

/** PutTargets-time checks of a target's input settings, worded as AWS words them. */
export function validateTargetInput(target: StoredTarget): void {
  const id = target.Id;
  const given = ['Input', 'InputPath', 'InputTransformer'].filter(
    (key) => target[key] !== undefined && target[key] !== null,
  );
  if (given.length > 1) {
    throw validationError(
      `Only one of Input, InputPath, or InputTransformer must be provided for target ${id}.`,
    );
  }
  if (typeof target.Input === 'string') {
    try {
      JSON.parse(target.Input);
    } catch {
      throw validationError(
        // AWS's wording as CloudFormation reports it (awsdocs/aws-cloudformation-user-guide#1010).
        `Input for target ${id} is not a valid JSON text. (local cloud: received ` +
          `${JSON.stringify(target.Input)}; pass JSON, e.g. "{\\"key\\":\\"value\\"}" or "\\"a string\\"".)`,
      );
    }
  }
  if (typeof target.InputPath === 'string') {
    const path = parseJsonPath(target.InputPath);
    if (typeof path === 'string') {
      throw validationError(`InputPath for target ${id} is not a valid JSON path: ${path}.`);
    }
  }
  if (target.InputTransformer !== undefined && target.InputTransformer !== null) {
    readTransformer(target);
  }
}

/** Reads a transformer whose members PutTargets' input schema has checked (put-targets.ts). */
function readTransformer(target: StoredTarget): Transformer {
  const raw = target.InputTransformer as Record<string, unknown>;
  const template = typeof raw.InputTemplate === 'string' ? raw.InputTemplate : undefined;
  const pathsMap = (raw.InputPathsMap ?? {}) as Record<string, unknown>;
  const paths = new Map<string, JsonPath>();
  for (const [key, value] of Object.entries(pathsMap)) {
    if (!KEY_PATTERN.test(key) || PREDEFINED.has(key) || key.toUpperCase().startsWith('AWS.')) {
      throw validationError(
        `InputPathsMap key '${key}' for target ${target.Id} is not valid: use letters, digits, ` +
          "'-' and '_' only; names starting with 'AWS.' are reserved.",
      );
    }
    const path = typeof value === 'string' ? parseJsonPath(value) : 'it must be a string';
    if (typeof path === 'string') {
      throw validationError(
        `InputPathsMap value for '${key}' in target ${target.Id} is not a valid JSON path: ${path}.`,
      );
    }
    paths.set(key, path);
  }
  for (const name of placeholders(template ?? '')) {
    if (!paths.has(name) && !PREDEFINED.has(name)) {
      throw validationError(
        `InputTemplate for target ${target.Id} contains invalid placeholder ${name}.`,
      );
    }
  }
  return { paths, template: template ?? '' };
}

function placeholders(template: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== '<') continue;
    const match = PLACEHOLDER.exec(template.slice(i));
    if (match?.[1] !== undefined) names.push(match[1]);
  }
  return names;
}

/** The message body a target receives for `event`. */
export function renderTargetInput(
  target: StoredTarget,
  event: BusEvent,
  ctx: RenderContext,
): string {
  if (typeof target.Input === 'string') return target.Input;
  if (typeof target.InputPath === 'string') {
    const path = parseJsonPath(target.InputPath);
    if (typeof path === 'string') return JSON.stringify(event);
    // AWS documents no output for a path that matches nothing; JSON null keeps the body valid.
    return JSON.stringify(evaluateJsonPath(path, event) ?? null);
  }
  if (target.InputTransformer !== undefined && target.InputTransformer !== null) {
    const transformer = readTransformer(target);
    return fillTemplate(transformer, variables(transformer, event, ctx));
  }
  return JSON.stringify(event);
}

function variables(transformer: Transformer, event: BusEvent, ctx: RenderContext) {
  const values = new Map<string, unknown>();
  for (const [key, path] of transformer.paths) {
    const value = evaluateJsonPath(path, event);
    if (value !== undefined) values.set(key, value);
  }
  values.set('aws.events.rule-arn', ctx.ruleArn);
  values.set('aws.events.rule-name', ctx.ruleName);
  values.set('aws.events.event.ingestion-time', ctx.ingestionTime);
  values.set('aws.events.event.json', event);
  values.set('aws.events.event', envelopeOf(event, ctx.ingestionTime));
  return values;
}

/** `<aws.events.event>`: the event without `detail`, `detail-type` spelled `detailType`. */
function envelopeOf(event: BusEvent, ingestionTime: string): Record<string, unknown> {
  return {
    id: event['id'],
    account: event['account'],
    detailType: event['detail-type'],
    time: ingestionTime,
    source: event['source'],
    region: event['region'],
    resources: event['resources'],
    version: event['version'],
  };
}

interface Piece {
  text: string;
  /** `nested`: inside a `{...}` or `[...]` written within a quoted string. */
  placeholder?: { name: string; inString: boolean; nested: boolean };
}

/**
 * AWS refuses, at delivery, a JSON template whose placeholder sits in a
 * key/value list or a list written inside a quoted string (`"{id:<id>}"`,
 * `"[<a>, <b>]"`): the target gets nothing and the invocation counts as failed.
 */
// AWS reports such a delivery only as a FailedInvocations count; no public source records an
// error text for it, so the message below is the local cloud's own, for the failed-invocations log.
export class TemplateRefused extends Error {
  override readonly name = 'InvalidInputTemplate';
}

/**
 * Fills the template by text substitution, keeping its layout as AWS does.
 * In a JSON template a variable outside quotes becomes its JSON value; inside
 * a quoted string it becomes its raw text (objects lose their inner quotes,
 * as AWS documents); a variable whose path matched nothing becomes empty.
 * A template that is not JSON even with its variables filled in (free text
 * such as `<id> is in state <state>`) gets every variable as raw text.
 */
function fillTemplate(transformer: Transformer, values: Map<string, unknown>): string {
  const pieces = scan(
    transformer.template,
    (name) => transformer.paths.has(name) || PREDEFINED.has(name),
  );
  const probe = pieces
    .map((p) => (p.placeholder ? (p.placeholder.inString ? '' : 'null') : p.text))
    .join('');
  const jsonMode = isJson(probe);
  const nested = jsonMode ? pieces.find((p) => p.placeholder?.nested) : undefined;
  if (nested) {
    throw new TemplateRefused(
      `InputTemplate is not valid JSON. (local cloud: once ${nested.text} is filled in: a placeholder ` +
        'inside a {...} or [...] written within a quoted string. Write the object or list as JSON, ' +
        'with the placeholder outside quotes.)',
    );
  }
  return pieces
    .map((piece) => {
      if (!piece.placeholder) return piece.text;
      const { name, inString } = piece.placeholder;
      // A path the event lacks becomes "" outside quotes (the JSON stays valid), nothing inside.
      if (!values.has(name)) return jsonMode && !inString ? '""' : '';
      const value = values.get(name);
      if (!jsonMode) return rawText(value, false);
      return inString ? rawText(value, true) : JSON.stringify(value);
    })
    .join('');
}

function rawText(value: unknown, stripQuotes: boolean): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return stripQuotes && typeof value === 'object' && value !== null ? json.replace(/"/g, '') : json;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Splits the template into literal text and placeholders, tracking JSON string context. */
function scan(template: string, known: (name: string) => boolean): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  let inString = false;
  let depth = 0;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] as string;
    if (ch === '<') {
      const match = PLACEHOLDER.exec(template.slice(i));
      const name = match?.[1];
      if (match && name !== undefined && known(name)) {
        pieces.push({ text: literal });
        literal = '';
        pieces.push({
          text: match[0],
          placeholder: { name, inString, nested: inString && depth > 0 },
        });
        i += match[0].length - 1;
        continue;
      }
    }
    if (inString && ch === '\\') {
      literal += ch + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') {
      inString = !inString;
      depth = 0;
    } else if (inString && (ch === '{' || ch === '[')) depth++;
    else if (inString && (ch === '}' || ch === ']')) depth = Math.max(0, depth - 1);
    literal += ch;
  }
  pieces.push({ text: literal });
  return pieces;
}
