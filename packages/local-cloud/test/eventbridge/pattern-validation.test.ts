/**
 * Validation: what AWS refuses, with AWS's words. The first table holds answers recorded from
 * AWS itself (LocalStack's snapshot tests of PutRule/TestEventPattern against real accounts),
 * compared character for character, location suffix included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/core/errors.js';
import {
  EVENT_PATTERN_MAX_LENGTH,
  matchPattern,
  parsePattern,
} from '../../src/eventbridge/pattern.js';

const PREFIX = 'Event pattern is not valid. Reason: ';

function refusal(text: string): AwsError {
  try {
    parsePattern(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AwsError);
    return error as AwsError;
  }
  throw new Error(`expected ${text} to be refused`);
}

/** The reason without Jackson's location suffix(es). */
function reason(text: string): string {
  const { message } = refusal(text);
  expect(message.startsWith(PREFIX)).toBe(true);
  return message.slice(PREFIX.length).split('\n at ')[0]!;
}

const at = (source: string, column: number): string =>
  `\n at [Source: (String)"${source}"; line: 1, column: ${column}]`;

describe('answers recorded from AWS', () => {
  it.each([
    ['{"int": 42}', `"int" must be an object or an array${at('{"int": 42}', 11)}`],
    [
      '{"string": "my-value"}',
      `"string" must be an object or an array${at('{"string": "my-value"}', 13)}`,
    ],
    ['{"resources": []}', `Empty arrays are not allowed${at('{"resources": []}', 17)}`],
    [
      '{"source": ["aws.health"], "detail": {}}',
      `Empty objects are not allowed${at('{"source": ["aws.health"], "detail": {}}', 40)}`,
    ],
    [
      '{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}',
      `Unrecognized match type NUMERIC${at('{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}', 36)}`,
    ],
    [
      '{"my_key": [{"EXISTS": true}]}',
      `Unrecognized match type EXISTS${at('{"my_key": [{"EXISTS": true}]}', 28)}`,
    ],
    [
      '{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}',
      `Bad numeric range operator: >${at('{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', 49)}`,
    ],
    [
      '{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}',
      `Value of < must be numeric${at('{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', 50)}`,
    ],
    [
      '{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}',
      `Consecutive wildcard characters at pos 26${at('{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}', 72)}`,
    ],
    [
      '{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}',
      `equals-ignore-case match pattern must be a string${at('{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}', 42)}`,
    ],
    [
      '{"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]}',
      `equals-ignore-case match pattern must be a string${at('{"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]}', 42)}`,
    ],
    [
      '{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}',
      `Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.${at('{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}', 66)}`,
    ],
    [
      // event-ruler catches and re-raises inside lists: AWS repeats the location.
      '{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}',
      `Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.${at('{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}', 67).repeat(2)}`,
    ],
    [
      'this is valid json but not a dict',
      `Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')${at('this is valid json but not a dict', 5)}`,
    ],
    [
      "{'bad': 'quotation'}",
      `Unexpected character (''' (code 39)): was expecting double-quote to start field name${at("{'bad': 'quotation'}", 2)}`,
    ],
    [
      '{"not": closed mark"',
      `Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')${at('{"not": closed mark"', 15)}`,
    ],
    [
      '["not", "a", "dict", "but valid json"]',
      `Filter is not an object${at('["not", "a", "dict", "but valid json"]', 2)}`,
    ],
    [
      '{"EventBusArn": [{"wildcard": 123}]}',
      `wildcard match pattern must be a string${at('{"EventBusArn": [{"wildcard": 123}]}', 34)}`,
    ],
    [
      '{"detail": {"state": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]}}',
      `wildcard match pattern must be a string${at('{"detail": {"state": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]}}', 57).repeat(2)}`,
    ],
    [
      '{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}',
      `wildcard match pattern must be a string${at('{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}', 59)}`,
    ],
    [
      '{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}',
      `prefix/suffix match pattern must be a string${at('{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}', 58).repeat(2)}`,
    ],
    [
      '{"detail": {"FileName": [{"anything-but": {"suffix": 123}}]}}',
      `prefix/suffix match pattern must be a string${at('{"detail": {"FileName": [{"anything-but": {"suffix": 123}}]}}', 57)}`,
    ],
    [
      '{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}',
      `prefix/suffix match pattern must be a string${at('{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}', 54)}`,
    ],
    [
      '{"time": [{"prefix": ["2022-07-13"]}]}',
      `prefix match pattern must be a string${at('{"time": [{"prefix": ["2022-07-13"]}]}', 23)}`,
    ],
    [
      '{"time": [{"prefix": 123}]}',
      `prefix match pattern must be a string${at('{"time": [{"prefix": 123}]}', 25)}`,
    ],
    [
      '{"FileName": [{"suffix": 123}]}',
      `suffix match pattern must be a string${at('{"FileName": [{"suffix": 123}]}', 29)}`,
    ],
    [
      '{"FileName": [{"suffix": [".png"]}]}',
      `suffix match pattern must be a string${at('{"FileName": [{"suffix": [".png"]}]}', 27)}`,
    ],
    [
      '{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}',
      `Value of anything-but must be an array or single string/number value.${at('{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}', 55)}`,
    ],
    [
      '{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}',
      `prefix match pattern must be a string${at('{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}', 43)}`,
    ],
    ['{"detail": {"ip": [{"cidr": "bad-type"}]}}', "Malformed CIDR, one '/' required"],
    [
      '{"detail": {"ip": [{"cidr": "10.0.0.0/xx"}]}}',
      'Malformed CIDR, mask bits must be an integer',
    ],
    ['{"detail": {"ip": [{"cidr": "xx.11.xx/24"}]}}', 'Nonstandard IP address: xx.11.xx'],
    [
      '{"detail": {"ip": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}}',
      'Nonstandard IP address: xxxx:db8:1234:1a00::',
    ],
    [
      '{"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}',
      'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
    ],
  ])('%s', (pattern, expected) => {
    const error = refusal(pattern);
    expect(error.code).toBe('InvalidEventPatternException');
    expect(error.status).toBe(400);
    expect(error.message).toBe(PREFIX + expected);
  });
});

describe('refused patterns (event-ruler wording)', () => {
  it.each([
    // shape of the pattern
    ['', 'Filter is not an object'],
    ['"text"', 'Filter is not an object'],
    ['{}', 'Empty objects are not allowed'],
    ['{"detail": {"x": {}}}', 'Empty objects are not allowed'],
    ['{"source": null}', '"source" must be an object or an array'],
    ['{"source": true}', '"source" must be an object or an array'],
    ['{"source": [["nested"]]}', 'Match value must be String, number, true, false, or null'],
    ['{"source": [{}]}', 'Match expression name not found'],
    ['{"source": [{"nope": 1}]}', 'Unrecognized match type nope'],
    ['{"source": [{"regex": "a.*"}]}', 'Unrecognized match type regex'],
    ['{"source": [{"prefix": "a", "suffix": "b"}]}', 'Only one key allowed in match expression'],
    // prefix / suffix
    ['{"a": [{"prefix": null}]}', 'prefix match pattern must be a string'],
    ['{"a": [{"prefix": {"exists": true}}]}', 'Unsupported prefix pattern: exists'],
    ['{"a": [{"prefix": {}}]}', 'Prefix expression name not found'],
    [
      '{"a": [{"prefix": {"equals-ignore-case": 1}}]}',
      'equals-ignore-case match pattern must be a string',
    ],
    ['{"a": [{"suffix": {"wildcard": "x"}}]}', 'Unsupported suffix pattern: wildcard'],
    [
      '{"a": [{"suffix": {"equals-ignore-case": "x", "b": 1}}]}',
      'Only one key allowed in match expression',
    ],
    // equals-ignore-case
    ['{"a": [{"equals-ignore-case": 5}]}', 'equals-ignore-case match pattern must be a string'],
    // exists
    ['{"a": [{"exists": "true"}]}', 'exists match pattern must be either true or false.'],
    ['{"a": [{"exists": 1}]}', 'exists match pattern must be either true or false.'],
    ['{"a": [{"exists": true, "prefix": "x"}]}', 'Only one key allowed in match expression'],
    // anything-but
    [
      '{"a": [{"anything-but": null}]}',
      'Value of anything-but must be an array or single string/number value.',
    ],
    [
      '{"a": [{"anything-but": true}]}',
      'Value of anything-but must be an array or single string/number value.',
    ],
    [
      '{"a": [{"anything-but": []}]}',
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    [
      '{"a": [{"anything-but": ["x", 1]}]}',
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    [
      '{"a": [{"anything-but": [null]}]}',
      'Inside anything but list, start|null|boolean is not supported.',
    ],
    ['{"a": [{"anything-but": {}}]}', 'Anything-But expression name not found'],
    [
      '{"a": [{"anything-but": {"numeric": [">", 1]}}]}',
      'Unsupported anything-but pattern: numeric',
    ],
    ['{"a": [{"anything-but": {"prefix": ""}}]}', 'Null prefix/suffix not allowed'],
    ['{"a": [{"anything-but": {"suffix": ["x", ""]}}]}', 'Null prefix/suffix not allowed'],
    ['{"a": [{"anything-but": {"wildcard": "a**"}}]}', 'Consecutive wildcard characters at pos 2'],
    ['{"a": [{"anything-but": "x", "prefix": "y"}]}', 'Too many elements in numeric expression'],
    ['{"a": [{"anything-but": 6000000000}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive'],
    // numeric
    ['{"a": [{"numeric": ">"}]}', 'Value of numeric must be an array.'],
    ['{"a": [{"numeric": []}]}', 'Invalid member in numeric match: ]'],
    ['{"a": [{"numeric": [5, ">"]}]}', 'Invalid member in numeric match: 5'],
    ['{"a": [{"numeric": ["!=", 5]}]}', 'Unrecognized numeric range operator: !='],
    ['{"a": [{"numeric": ["="]}]}', 'Value of equals must be numeric'],
    ['{"a": [{"numeric": ["=", "5"]}]}', 'Value of equals must be numeric'],
    ['{"a": [{"numeric": [">", "5"]}]}', 'Value of > must be numeric'],
    ['{"a": [{"numeric": ["<=", null]}]}', 'Value of <= must be numeric'],
    ['{"a": [{"numeric": ["=", 5, "<", 6]}]}', 'Too many elements in numeric expression'],
    ['{"a": [{"numeric": ["<", 5, ">", 1]}]}', 'Too many elements in numeric expression'],
    ['{"a": [{"numeric": [">", 5, 6]}]}', 'Bad value in numeric range: 6'],
    ['{"a": [{"numeric": [">", 5, ">=", 6]}]}', 'Bad numeric range operator: >='],
    [
      '{"a": [{"numeric": [">", 1, "<", 5, "<", 9]}]}',
      'Too many terms in numeric range expression',
    ],
    ['{"a": [{"numeric": [">", 5, "<", 1]}]}', 'Bottom must be less than top'],
    ['{"a": [{"numeric": [">=", 5, "<=", 5]}]}', 'Bottom must be less than top'],
    [
      '{"a": [{"numeric": [">", 5000000001]}]}',
      'Value must be between -5.0E9 and 5.0E9, inclusive',
    ],
    ['{"a": [{"numeric": ["<", -5.1e9]}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive'],
    ['{"a": [{"numeric": ["=", 0.0000001]}]}', 'Only values upto 6 decimals are supported'],
    ['{"a": [{"numeric": ["=", 1e30]}]}', 'Overflow'],
    [
      '{"a": [{"numeric": [">", 1]}, "x"], "b": [{"numeric": [">", 1], "c": 2}]}',
      'Too many elements in numeric expression',
    ],
    // cidr
    ['{"a": [{"cidr": 10}]}', 'prefix match pattern must be a string'],
    ['{"a": [{"cidr": "10.0.0.0/8/8"}]}', "Malformed CIDR, one '/' required"],
    ['{"a": [{"cidr": "10.0.0.0/-1"}]}', 'Malformed CIDR, mask bits must not be negative'],
    ['{"a": [{"cidr": "10.0.0.0/32"}]}', 'IPv4 mask bits must be < 32'],
    ['{"a": [{"cidr": "::/128"}]}', 'IPv6 mask bits must be < 128'],
    ['{"a": [{"cidr": "300.0.0.0/8"}]}', 'Invalid IP address: 300.0.0.0'],
    ['{"a": [{"cidr": "1::2::3/64"}]}', 'Invalid IP address: 1::2::3'],
    // wildcard
    ['{"a": [{"wildcard": "**"}]}', 'Consecutive wildcard characters at pos 1'],
    ['{"a": [{"wildcard": "a\\\\b"}]}', 'Invalid escape character at pos 2'],
    ['{"a": [{"wildcard": "é**"}]}', 'Consecutive wildcard characters at pos 3'],
    ['{"a": [{"wildcard": null}]}', 'wildcard match pattern must be a string'],
    // $or
    ['{"$or": {"a": ["b"]}}', 'It must be an Array followed with $or.'],
    ['{"$or": [{"a": ["b"]}]}', 'There must have at least 2 Objects in $or relationship.'],
    ['{"$or": []}', 'There must have at least 2 Objects in $or relationship.'],
    ['{"$or": [{"a": ["b"]}, ["c"]]}', 'Only JSON object is allowed in array of $or relationship.'],
    ['{"$or": [{"a": ["b"]}, {}]}', 'Empty objects are not allowed'],
    [
      '{"$or": [{"a": ["b"]}, {"numeric": [1]}]}',
      'numeric is Ruler reserved fieldName which cannot be used inside $or.',
    ],
    [
      '{"$or": [{"a": ["b"]}, {"c": {"prefix": ["d"]}}]}',
      'prefix is Ruler reserved fieldName which cannot be used inside $or.',
    ],
    // JSON syntax (Jackson's wording)
    [
      '{"a": ["b"]',
      'Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"{"a": ["b"]"; line: 1, column: 1])',
    ],
    [
      '{"a": ["b",]}',
      "Unexpected character (']' (code 93)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
    ],
    [
      '{"a": ["b"],}',
      "Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
    ],
    [
      '{"a" ["b"]}',
      "Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value",
    ],
    [
      '{"a": ["b" "c"]}',
      "Unexpected character ('\"' (code 34)): was expecting comma to separate Array entries",
    ],
    [
      '{"a": ["b"]]',
      'Unexpected close marker \']\': expected \'}\' (for Object starting at [Source: (String)"{"a": ["b"]]"; line: 1, column: 1])',
    ],
    ['{"a": [01]}', 'Invalid numeric value: Leading zeroes not allowed'],
    [
      '{"a": [+1]}',
      "Unexpected character ('+' (code 43)) in numeric value: JSON spec does not allow numbers to have plus signs: enable `JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS` to allow",
    ],
    ['{"a": ["\\q"]}', "Unrecognized character escape 'q' (code 113)"],
    [
      '{"a": [tru]}',
      "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
    ],
    ['{"a": ["b"]} // note', ''],
  ])('%s', (pattern, expected) => {
    if (expected === '') {
      expect(() => parsePattern(pattern)).not.toThrow(); // event-ruler stops after the object
      return;
    }
    expect(reason(pattern)).toBe(expected);
  });

  it('keeps the location on its own line, as Jackson prints it, on every line of the pattern', () => {
    const text = '{\n  "detail": {\n    "state": "running"\n  }\n}';
    expect(refusal(text).message).toBe(
      `${PREFIX}"state" must be an object or an array\n at [Source: (String)"${text}"; line: 3, column: 15]`,
    );
  });

  it('truncates the quoted source after 500 characters, as Jackson does', () => {
    const text = `{"detail": {"x": ["${'a'.repeat(600)}"], "y": 1}}`;
    const { message } = refusal(text);
    expect(message).toContain(
      `(String)"${text.slice(0, 500)}"[truncated ${text.length - 500} chars]`,
    );
  });

  it('refuses patterns longer than the event pattern size quota, which can be raised', () => {
    const long = JSON.stringify({ source: ['x'.repeat(EVENT_PATTERN_MAX_LENGTH)] });
    expect(reason(long)).toContain(`more than the ${EVENT_PATTERN_MAX_LENGTH} allowed`);
    expect(() => parsePattern(long, { maxLength: 4096 })).not.toThrow();
  });
});

describe('accepted patterns', () => {
  it.each([
    '{"source": ["aws.ec2"]}',
    '{"a": [1, "1", true, false, null, 1.5e3, -0]}',
    '{"a": [{"exists": false}]}',
    '{"a": [{"prefix": ""}, {"suffix": ""}]}',
    '{"a": [{"anything-but": {"prefix": ["a", "b"]}}]}',
    '{"a": [{"anything-but": {"equals-ignore-case": []}}]}',
    '{"a": [{"anything-but": ""}]}',
    '{"a": [{"anything-but": [1, 2.5]}]}',
    '{"a": [{"numeric": ["=", -5e9]}, {"numeric": [">=", 0.000001, "<", 5000000000]}]}',
    '{"a": [{"numeric": [">", 1.0000000]}]}',
    '{"a": [6000000000, 0.1234567]}',
    '{"a": [{"cidr": "0.0.0.0/0"}, {"cidr": "10.0.0.5/31"}, {"cidr": "::/0"}]}',
    '{"a": [{"wildcard": "a\\\\*b\\\\\\\\c*"}]}',
    '{"a": [{"wildcard": ""}]}',
    '{"a": [{"exactly": "10.0.0.1"}]}',
    '{"$or": [{"a": ["b"]}, {"c": ["d"]}], "$or": [{"e": ["f"]}, {"g": ["h"]}]}',
    '{"a": {"$or": [{"b": ["c"]}, {"$or": [{"d": ["e"]}, {"f": ["g"]}]}]}}',
    '{"numeric": ["x"], "prefix": {"exists": ["y"]}}',
    '{"EventBusArn": [{"wildcard": "*.bif"}, {"wildcard": "*.tiff"}, {"wildcard": "*.tif"}, {"wildcard": "*.svs"}]}',
    '{"FileName": [{"wildcard": "/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}',
  ])('%s', (pattern) => {
    expect(() => parsePattern(pattern)).not.toThrow();
  });
});

describe('limits on complexity', () => {
  it('refuses too many wildcard alternatives on one field, not spread over fields', () => {
    const four = ['bif', 'tif', 'tiff', 'svs'].map((ext) => ({ wildcard: `*/datasync/*.${ext}` }));
    expect(reason(JSON.stringify({ key: four }))).toMatch(/^Rule is too complex/);
    expect(() => parsePattern(JSON.stringify({ key: four.slice(0, 2) }))).not.toThrow();
    expect(() =>
      parsePattern(JSON.stringify({ a: four.slice(0, 2), b: four.slice(2) })),
    ).not.toThrow();
  });

  it('counts wildcards that $or branches put on the same field', () => {
    const branch = (ext: string) => ({ key: [{ wildcard: `*/datasync/*.${ext}` }] });
    const pattern = { $or: [branch('bif'), branch('tif'), branch('tiff'), branch('svs')] };
    expect(reason(JSON.stringify(pattern))).toMatch(/^Rule is too complex/);
  });

  it('refuses $or combinations that would explode', () => {
    const or = '"$or": [{"a": ["1"]}, {"b": ["2"]}]';
    expect(reason(`{${Array.from({ length: 14 }, () => or).join(', ')}}`)).toMatch(
      /^Rule is too complex/,
    );
  });
});

describe('properties', () => {
  const chars = fc.constantFrom('a', 'b', '*', '\\', 'é', '.', '/');
  const text = fc.string({
    unit: fc.constantFrom('a', 'b', '.', '/', 'é', '*', '\\'),
    maxLength: 12,
  });

  it('wildcard agrees with a reference glob on every string', () => {
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 8 }), text, (parts, value) => {
        const operand = parts.join('');
        let pattern;
        try {
          pattern = parsePattern(JSON.stringify({ v: [{ wildcard: operand }] }), {});
        } catch {
          return true; // refused operands are covered above
        }
        expect(matchPattern(pattern, { v: value })).toBe(referenceGlob(operand).test(value));
        return true;
      }),
    );
  });

  it('numeric ranges agree with plain comparisons for six-decimal values', () => {
    const micros = fc.integer({ min: -5_000_000_000, max: 5_000_000_000 }).map((n) => n / 1000);
    fc.assert(
      fc.property(micros, micros, micros, (low, high, value) => {
        fc.pre(low < high);
        const pattern = parsePattern(JSON.stringify({ v: [{ numeric: ['>', low, '<=', high] }] }));
        expect(matchPattern(pattern, { v: value })).toBe(value > low && value <= high);
      }),
    );
  });
});

/** A regex built the slow, obvious way: only for checking the compiled matcher. */
function referenceGlob(operand: string): RegExp {
  let source = '';
  for (let i = 0; i < operand.length; i++) {
    const c = operand[i]!;
    if (c === '\\') source += escapeRegex(operand[++i]!);
    else if (c === '*') source += '[\\s\\S]*';
    else source += escapeRegex(c);
  }
  return new RegExp(`^${source}$`, 'u');
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
