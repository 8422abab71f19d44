/**
 * Compiles pattern text into sub-rules, following event-ruler's JsonRuleCompiler step by step
 * so that the same patterns are refused, with the same reasons, at the same positions.
 *
 * Like event-ruler, `$or` is expanded: the result is a list of sub-rules (the pattern matches
 * when any one does), each a set of fields that must all match. Fields are keyed by their
 * dot-joined path; a later mention of a path replaces an earlier one in the same sub-rule
 * (AWS documents "the last reference will be the one used").
 */
import { JsonReader, PatternParseError, isNumeric, type Token } from './json-reader.js';
import { ArithmeticFailure, IllegalArgument, patternMicros } from './numbers.js';
import { looksLikeIp, parseCidr, parseIp } from './ip.js';
import {
  WildcardSyntaxError,
  parseWildcard,
  tooComplex,
  wildcardComplexity,
  WILDCARD_COMPLEXITY_LIMIT,
} from './wildcard.js';
import * as values from './values.js';
import type { ValueTest } from './values.js';

export interface FieldSpec {
  /** Dot-joined path, as event-ruler names fields (`detail.state`). */
  readonly path: string;
  /** The field matches when any test matches one of its leaf values... */
  readonly tests: readonly ValueTest[];
  /** ...or, with `{"exists": false}` among them, when it has no leaf value at all. */
  readonly absent: boolean;
  /** The value array as written, to recognise identical fields across `$or` branches. */
  readonly source: string;
}

/** Fields that must all match, sorted by path. */
export type SubRule = readonly FieldSpec[];

/**
 * `$or` multiplies sub-rules; AWS documents no ceiling, but without one a 2 KB pattern could
 * expand to billions. Well beyond any real pattern.
 */
export const MAX_SUB_RULES = 10_000;

const OR = '$or';
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

type Rule = Map<string, FieldSpec>;
type AnythingButKind = 'plain' | 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';

/** Parses and validates; throws PatternParseError / IllegalArgument / ArithmeticFailure. */
export function compile(text: string): SubRule[] {
  const rules = new Compiler(text).compile();
  const subRules = rules.map((rule) =>
    [...rule.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  );
  checkWildcardComplexity(subRules);
  return subRules;
}

class Compiler {
  private readonly reader: JsonReader;

  constructor(private readonly text: string) {
    this.reader = new JsonReader(text);
  }

  compile(): Rule[] {
    const rules: Rule[] = [];
    if (this.next() !== 'START_OBJECT') this.barf('Filter is not an object');
    this.parseObject(rules, '', false);
    return rules;
  }

  private parseObject(rules: Rule[], path: string, insideOr: boolean): void {
    let fieldsPresent = false;
    while (this.next() !== 'END_OBJECT') {
      fieldsPresent = true;
      const step = this.currentText();
      if (step === OR) {
        this.parseOr(rules, path);
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(step)) {
        this.barf(`${step} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
      }
      const name = path === '' ? step : `${path}.${step}`;
      switch (this.next()) {
        case 'START_OBJECT':
          this.parseObject(rules, name, insideOr);
          break;
        case 'START_ARRAY':
          this.writeRules(rules, name);
          break;
        default:
          this.barf(`"${step}" must be an object or an array`);
      }
    }
    if (!fieldsPresent) this.barf('Empty objects are not allowed');
  }

  private parseOr(rules: Rule[], path: string): void {
    const current = rules.map((rule) => new Map(rule));
    rules.length = 0;
    if (this.next() !== 'START_ARRAY') this.barf(`It must be an Array followed with ${OR}.`);
    let branches = 0;
    let token: Token | null;
    while ((token = this.next()) !== 'END_ARRAY') {
      branches++;
      if (token !== 'START_OBJECT') {
        this.barf(`Only JSON object is allowed in array of ${OR} relationship.`);
      }
      const branch = current.map((rule) => new Map(rule));
      if (branch.length === 0) branch.push(new Map());
      this.parseObject(branch, path, true);
      rules.push(...branch);
      if (rules.length > MAX_SUB_RULES) {
        throw new IllegalArgument(
          `Rule is too complex - its ${OR} combinations expand to more than ${MAX_SUB_RULES} alternatives`,
        );
      }
    }
    if (branches < 2) this.barf(`There must have at least 2 Objects in ${OR} relationship.`);
  }

  private writeRules(rules: Rule[], name: string): void {
    const start = this.reader.offset - 1;
    const tests: ValueTest[] = [];
    let absent = false;
    let token: Token | null;
    while ((token = this.next()) !== 'END_ARRAY') {
      switch (token) {
        case 'START_OBJECT': {
          const test = this.matchExpression();
          if (test === 'absent') absent = true;
          else tests.push(test);
          break;
        }
        case 'VALUE_STRING': {
          const value = this.currentText();
          const address = looksLikeIp(value) ? parseIp(value) : undefined;
          tests.push(address ? values.exactIp(address) : values.exact(value));
          break;
        }
        case 'VALUE_NUMBER_INT':
        case 'VALUE_NUMBER_FLOAT':
          tests.push(values.exactNumber(this.currentText()));
          break;
        case 'VALUE_NULL':
          tests.push(values.exact(null));
          break;
        case 'VALUE_TRUE':
        case 'VALUE_FALSE':
          tests.push(values.exact(token === 'VALUE_TRUE'));
          break;
        default:
          this.barf('Match value must be String, number, true, false, or null');
      }
    }
    if (tests.length === 0 && !absent) this.barf('Empty arrays are not allowed');
    const spec: FieldSpec = {
      path: name,
      tests,
      absent,
      source: this.text.slice(start, this.reader.offset),
    };
    if (rules.length === 0) rules.push(new Map());
    for (const rule of rules) rule.set(name, spec);
  }

  /** One `{ "operator": operand }` entry of a value array. */
  private matchExpression(): ValueTest | 'absent' {
    if (this.next() !== 'FIELD_NAME') this.barf('Match expression name not found');
    const operator = this.currentText();
    switch (operator) {
      case 'exactly':
        return this.stringOperand('exact match pattern must be a string', values.exact);
      case 'prefix':
        if (this.next() === 'START_OBJECT') {
          return this.ignoreCaseOperand('Prefix', values.prefixIgnoreCase);
        }
        return this.currentString('prefix match pattern must be a string', values.prefix);
      case 'suffix':
        if (this.next() === 'START_OBJECT') {
          return this.ignoreCaseOperand('Suffix', values.suffixIgnoreCase);
        }
        return this.currentString('suffix match pattern must be a string', values.suffix);
      case 'equals-ignore-case':
        return this.stringOperand(
          'equals-ignore-case match pattern must be a string',
          values.equalsIgnoreCase,
        );
      case 'numeric': {
        if (this.next() !== 'START_ARRAY') this.barf('Value of numeric must be an array.');
        const test = this.numeric();
        if (this.next() !== 'END_OBJECT') this.tooManyElements();
        return test;
      }
      case 'anything-but':
        return this.anythingBut();
      case 'exists': {
        const token = this.next();
        if (token !== 'VALUE_TRUE' && token !== 'VALUE_FALSE') {
          this.barf('exists match pattern must be either true or false.');
        }
        this.expectEnd();
        return token === 'VALUE_TRUE' ? values.exists() : 'absent';
      }
      case 'cidr': {
        // event-ruler reuses the prefix message here.
        if (this.next() !== 'VALUE_STRING') this.barf('prefix match pattern must be a string');
        const range = parseCidr(this.currentText()); // its errors carry no location on AWS either
        this.expectEnd();
        return values.cidr(range);
      }
      case 'wildcard': {
        if (this.next() !== 'VALUE_STRING') this.barf('wildcard match pattern must be a string');
        const operand = this.currentText();
        const segments = this.wildcardSegments(operand);
        this.expectEnd();
        return values.wildcard(operand, segments);
      }
      default:
        return this.barf(`Unrecognized match type ${operator}`);
    }
  }

  private stringOperand(message: string, build: (s: string) => ValueTest): ValueTest {
    this.next();
    return this.currentString(message, build);
  }

  private currentString(message: string, build: (s: string) => ValueTest): ValueTest {
    if (this.reader.token !== 'VALUE_STRING') this.barf(message);
    const test = build(this.currentText());
    this.expectEnd();
    return test;
  }

  /** `{"prefix": {"equals-ignore-case": "..."}}` and its `suffix` twin. */
  private ignoreCaseOperand(kind: 'Prefix' | 'Suffix', build: (s: string) => ValueTest): ValueTest {
    if (this.next() !== 'FIELD_NAME') this.barf(`${kind} expression name not found`);
    const operator = this.currentText();
    if (operator !== 'equals-ignore-case') {
      this.barf(`Unsupported ${kind.toLowerCase()} pattern: ${operator}`);
    }
    if (this.next() !== 'VALUE_STRING') {
      this.barf('equals-ignore-case match pattern must be a string');
    }
    const test = build(this.currentText());
    this.expectEnd();
    this.expectEnd();
    return test;
  }

  private numeric(): ValueTest {
    let token = this.next();
    if (token !== 'VALUE_STRING')
      this.barf(`Invalid member in numeric match: ${this.reader.getText()}`);
    const operator = this.currentText();
    token = this.next();
    try {
      switch (operator) {
        case '=': {
          if (!isNumeric(token)) this.barf('Value of equals must be numeric');
          const value = this.currentText();
          if (this.next() !== 'END_ARRAY') this.tooManyElements();
          const micros = patternMicros(value);
          return values.numericRange({ micros, open: false }, { micros, open: false });
        }
        case '>=':
        case '>': {
          if (!isNumeric(token)) this.barf(`Value of ${operator} must be numeric`);
          const bottom = this.currentText();
          token = this.next();
          if (token === 'END_ARRAY') {
            return values.numericRange(
              { micros: patternMicros(bottom), open: operator === '>' },
              undefined,
            );
          }
          return this.numericRange(token, bottom, operator === '>');
        }
        case '<=':
        case '<': {
          if (!isNumeric(token)) this.barf(`Value of ${operator} must be numeric`);
          const top = this.currentText();
          if (this.next() !== 'END_ARRAY') this.tooManyElements();
          return values.numericRange(undefined, {
            micros: patternMicros(top),
            open: operator === '<',
          });
        }
        default:
          return this.barf(`Unrecognized numeric range operator: ${operator}`);
      }
    } catch (error) {
      if (error instanceof IllegalArgument) this.barf(error.message);
      throw error;
    }
  }

  private numericRange(token: Token | null, bottom: string, openBottom: boolean): ValueTest {
    if (token !== 'VALUE_STRING') this.barf(`Bad value in numeric range: ${this.reader.getText()}`);
    const operator = this.currentText();
    if (operator !== '<' && operator !== '<=') this.barf(`Bad numeric range operator: ${operator}`);
    if (!isNumeric(this.next())) this.barf(`Value of ${operator} must be numeric`);
    const top = this.currentText();
    if (this.next() !== 'END_ARRAY') this.barf('Too many terms in numeric range expression');
    const low = patternMicros(bottom);
    const high = patternMicros(top);
    if (low >= high) throw new IllegalArgument('Bottom must be less than top');
    return values.numericRange(
      { micros: low, open: openBottom },
      { micros: high, open: operator === '<' },
    );
  }

  private anythingBut(): ValueTest {
    let kind: AnythingButKind = 'plain';
    let token = this.next();
    if (token === 'START_OBJECT') {
      if (this.next() !== 'FIELD_NAME') this.barf('Anything-But expression name not found');
      const operator = this.currentText();
      if (
        operator !== 'equals-ignore-case' &&
        operator !== 'prefix' &&
        operator !== 'suffix' &&
        operator !== 'wildcard'
      ) {
        this.barf(`Unsupported anything-but pattern: ${operator}`);
      }
      kind = operator;
      token = this.next();
    }
    if (token !== 'START_ARRAY' && token !== 'VALUE_STRING' && !isNumeric(token)) {
      this.barf('Value of anything-but must be an array or single string/number value.');
    }
    let test: ValueTest;
    if (kind === 'plain') {
      test = token === 'START_ARRAY' ? this.anythingButList() : this.anythingButValue(token);
    } else {
      const operands = token === 'START_ARRAY' ? this.operandList(kind) : [this.operand(kind)];
      test = this.anythingButOperands(kind, operands);
    }
    if (this.next() !== 'END_OBJECT') this.tooManyElements();
    if (kind !== 'plain' && this.next() !== 'END_OBJECT') this.tooManyElements();
    return test;
  }

  private anythingButList(): ValueTest {
    const strings: string[] = [];
    const micros: number[] = [];
    this.rethrowWithLocation(() => {
      let token: Token | null;
      while ((token = this.next()) !== 'END_ARRAY') {
        if (token === 'VALUE_STRING') strings.push(this.currentText());
        else if (isNumeric(token)) micros.push(patternMicros(this.currentText()));
        else this.barf('Inside anything but list, start|null|boolean is not supported.');
      }
    });
    if (strings.length > 0 === micros.length > 0) {
      this.barf(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      );
    }
    return values.anythingBut(
      strings.length > 0 ? values.excludeStrings(strings) : values.excludeNumbers(micros),
    );
  }

  private anythingButValue(token: Token | null): ValueTest {
    // Not guarded by event-ruler: a bad number here is reported without a location.
    if (isNumeric(token))
      return values.anythingBut(values.excludeNumbers([patternMicros(this.currentText())]));
    return values.anythingBut(values.excludeStrings([this.currentText()]));
  }

  private operandList(kind: AnythingButKind): string[] {
    const operands: string[] = [];
    this.rethrowWithLocation(() => {
      let token: Token | null;
      while ((token = this.next()) !== 'END_ARRAY') operands.push(this.operandAt(kind, token));
    });
    return operands;
  }

  private operand(kind: AnythingButKind): string {
    return this.operandAt(kind, this.reader.token);
  }

  private operandAt(kind: AnythingButKind, token: Token | null): string {
    if (token !== 'VALUE_STRING') {
      if (kind === 'equals-ignore-case') {
        this.barf(
          'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
        );
      }
      if (kind === 'wildcard') this.barf('wildcard match pattern must be a string');
      this.barf('prefix/suffix match pattern must be a string');
    }
    const text = this.currentText();
    if ((kind === 'prefix' || kind === 'suffix') && text === '') {
      this.barf('Null prefix/suffix not allowed');
    }
    return text;
  }

  private anythingButOperands(kind: AnythingButKind, operands: string[]): ValueTest {
    switch (kind) {
      case 'equals-ignore-case':
        return values.anythingBut(values.excludeAny(operands.map(values.equalsIgnoreCase)));
      case 'prefix':
        return values.anythingBut(values.excludeAny(operands.map(values.prefix)));
      case 'suffix':
        return values.anythingBut(values.excludeAny(operands.map(values.suffix)));
      default: {
        const tests = operands.map((o) => values.wildcard(o, this.wildcardSegments(o)));
        // Only plain `wildcard` counts towards rule complexity in event-ruler.
        return values.anythingBut(values.excludeAny(tests.map((t) => ({ test: t.test }))));
      }
    }
  }

  private wildcardSegments(operand: string): string[] {
    try {
      return parseWildcard(operand);
    } catch (error) {
      if (error instanceof WildcardSyntaxError) this.barf(error.message);
      throw error;
    }
  }

  /**
   * Where event-ruler catches its own complaints inside a list and raises them again, AWS's
   * message carries the location twice; kept, so messages compare equal to AWS's.
   */
  private rethrowWithLocation(body: () => void): void {
    try {
      body();
    } catch (error) {
      if (error instanceof PatternParseError || error instanceof IllegalArgument) {
        this.barf(error.message);
      }
      throw error;
    }
  }

  private expectEnd(): void {
    if (this.next() !== 'END_OBJECT') this.barf('Only one key allowed in match expression');
  }

  private tooManyElements(): never {
    // event-ruler's wording, also used outside numeric expressions.
    return this.barf('Too many elements in numeric expression');
  }

  private next(): Token | null {
    return this.reader.nextToken();
  }

  /** The current token's text (for strings this reads them, moving the location on). */
  private currentText(): string {
    return this.reader.getText() ?? 'null';
  }

  private barf(reason: string): never {
    throw new PatternParseError(reason, this.reader.location());
  }
}

/**
 * Applies the wildcard complexity check per field machine. event-ruler shares a field's
 * automaton between sub-rules that reach it through identical earlier fields (in path order),
 * so wildcards are grouped by that chain.
 */
function checkWildcardComplexity(subRules: readonly SubRule[]): void {
  const groups = new Map<string, Set<string>>();
  for (const subRule of subRules) {
    let chain = '';
    for (const field of subRule) {
      const key = `${chain}\u0000${field.path}`;
      for (const test of field.tests) {
        if (test.wildcard === undefined) continue;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = new Set()));
        group.add(test.wildcard);
      }
      chain = `${key}\u0001${field.source}`;
    }
  }
  for (const operands of groups.values()) {
    if (wildcardComplexity([...operands]) >= WILDCARD_COMPLEXITY_LIMIT) throw tooComplex();
  }
}

export { ArithmeticFailure, IllegalArgument, PatternParseError };
