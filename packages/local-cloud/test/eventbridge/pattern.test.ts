/**
 * Matching: cases from AWS's EventBridge user guide (event patterns, content filtering,
 * comparison operators, arrays, null values) and from aws/event-ruler's README, which
 * documents the edge cases AWS's matcher has. Each case states whether AWS matches.
 */
import { describe, expect, it } from 'vitest';
import { matchPattern, parsePattern } from '../../src/eventbridge/pattern.js';

const matches = (pattern: unknown, event: unknown): boolean =>
  matchPattern(
    parsePattern(typeof pattern === 'string' ? pattern : JSON.stringify(pattern)),
    event,
  );

/** The EC2 event the user guide's "Creating event patterns" page uses. */
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** The event event-ruler's README uses for its operator examples. */
const rulerEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail });

describe('exact values, fields and nesting', () => {
  it('matches the user guide EC2 termination pattern, and not another state', () => {
    const pattern = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    };
    expect(matches(pattern, ec2Event)).toBe(true);
    expect(matches(pattern, withDetail({ state: 'running' }))).toBe(false);
  });

  it('ORs the values of one field and ANDs the fields', () => {
    expect(matches({ source: ['aws.ec2', 'aws.fargate'] }, ec2Event)).toBe(true);
    expect(matches({ source: ['aws.s3', 'aws.fargate'] }, ec2Event)).toBe(false);
    expect(matches({ source: ['aws.ec2'], region: ['us-east-1'] }, ec2Event)).toBe(false);
  });

  it('needs every field of the pattern, with the same nesting, and ignores the rest', () => {
    expect(matches({ detail: { state: ['terminated'] } }, ec2Event)).toBe(true);
    expect(matches({ detail: { missing: ['x'] } }, ec2Event)).toBe(false);
    expect(matches({ state: ['terminated'] }, ec2Event)).toBe(false);
  });

  it('is case sensitive in keys and values', () => {
    expect(matches({ Source: ['aws.ec2'] }, ec2Event)).toBe(false);
    expect(matches({ source: ['AWS.EC2'] }, ec2Event)).toBe(false);
  });

  it('matches an empty string only to an empty string (user guide: "LastName is empty")', () => {
    expect(matches({ detail: { LastName: [''] } }, withDetail({ LastName: '' }))).toBe(true);
    expect(matches({ detail: { LastName: [''] } }, withDetail({ LastName: ' ' }))).toBe(false);
  });

  it('matches booleans as JSON literals, not strings', () => {
    expect(matches({ detail: { ok: [true] } }, withDetail({ ok: true }))).toBe(true);
    expect(matches({ detail: { ok: [true] } }, withDetail({ ok: 'true' }))).toBe(false);
    expect(matches({ detail: { ok: ['true'] } }, withDetail({ ok: true }))).toBe(false);
    expect(matches({ detail: { ok: [false] } }, withDetail({ ok: true }))).toBe(false);
  });

  it('joins nested keys with dots, so dotted keys match nested ones (event-ruler caveat)', () => {
    expect(matches({ 'detail.state': ['terminated'] }, ec2Event)).toBe(true);
    expect(matches({ detail: { state: ['x'] } }, { detail: { state: 'x' } })).toBe(true);
    expect(matches({ detail: { state: ['x'] } }, { 'detail.state': 'x' })).toBe(true);
  });

  it('uses the last mention of a duplicated key (user guide note)', () => {
    const pattern =
      '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}';
    expect(matches(pattern, withDetail({ location: 'eu-west' }))).toBe(true);
    expect(matches(pattern, withDetail({ location: 'us-east' }))).toBe(false);
  });

  it('does not match a pattern value against an object in the event', () => {
    expect(matches({ detail: ['x'] }, ec2Event)).toBe(false);
  });

  it('matches nothing but objects', () => {
    const pattern = parsePattern('{"source": ["aws.ec2"]}');
    expect(matchPattern(pattern, null)).toBe(false);
    expect(matchPattern(pattern, 'aws.ec2')).toBe(false);
    expect(matchPattern(pattern, [ec2Event])).toBe(false);
  });
});

describe('null values and empty strings (user guide page)', () => {
  const event = withDetail({ eventVersion: '', responseElements: null });

  it('matches null to null only', () => {
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matches({ detail: { eventVersion: [null] } }, event)).toBe(false);
    expect(matches({ detail: { responseElements: ['null'] } }, event)).toBe(false);
    expect(matches({ detail: { absent: [null] } }, event)).toBe(false);
  });

  it('matches an empty string, not null', () => {
    expect(matches({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [''] } }, event)).toBe(false);
  });

  it('does not match null against an empty array', () => {
    expect(matches({ resources: [null] }, { ...ec2Event, resources: [] })).toBe(false);
  });
});

describe('numbers', () => {
  it('matches numbers by value: 1 matches 1.0, 3.018e2 matches 301.8', () => {
    expect(matches({ detail: { n: [1] } }, withDetail({ n: 1.0 }))).toBe(true);
    expect(matches('{"detail": {"n": [1.0]}}', withDetail({ n: 1 }))).toBe(true);
    expect(matches('{"detail": {"x-limit": [3.018e2]}}', rulerEvent)).toBe(true);
    expect(matches({ detail: { n: [2] } }, withDetail({ n: 1 }))).toBe(false);
  });

  it('never matches a number with a string or the reverse', () => {
    expect(matches({ detail: { n: ['1'] } }, withDetail({ n: 1 }))).toBe(false);
    expect(matches({ detail: { n: [1] } }, withDetail({ n: '1' }))).toBe(false);
  });

  it('matches numbers beyond the numeric range exactly (account ids written as numbers)', () => {
    expect(matches({ detail: { id: [123456789012] } }, withDetail({ id: 123456789012 }))).toBe(
      true,
    );
    expect(matches({ detail: { id: [123456789012] } }, withDetail({ id: 123456789013 }))).toBe(
      false,
    );
  });
});

describe('arrays', () => {
  it('matches when the pattern and event arrays intersect (user guide "Arrays" page)', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = {
      ...ec2Event,
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, { ...event, resources: [event.resources[0]] })).toBe(false);
  });

  it('applies operators to every element of an event array', () => {
    expect(
      matches({ detail: { tags: [{ prefix: 'env:' }] } }, withDetail({ tags: ['a', 'env:prod'] })),
    ).toBe(true);
    expect(
      matches({ detail: { n: [{ numeric: ['>', 10] }] } }, withDetail({ n: [1, 2, 30] })),
    ).toBe(true);
    expect(matches({ detail: { n: [{ numeric: ['>', 10] }] } }, withDetail({ n: [1, 2, 3] }))).toBe(
      false,
    );
  });

  it('crushes arrays of objects, at any depth (event-ruler README)', () => {
    const employees = [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ];
    expect(matches({ employees: { firstName: ['Anna'] } }, { employees })).toBe(true);
    expect(
      matches(
        { employees: { firstName: ['Anna'] } },
        { employees: [employees.slice(0, 2), employees.slice(2)] },
      ),
    ).toBe(true);
  });

  it('takes fields under one array of objects from the same element (rulesForJSONEvent)', () => {
    const employees = [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ];
    expect(
      matches({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, { employees }),
    ).toBe(true);
    expect(
      matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, { employees }),
    ).toBe(false);
    const nested = [[employees[0], employees[1]], [employees[2]]];
    expect(
      matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, { employees: nested }),
    ).toBe(false);
    expect(
      matches({ employees: { firstName: ['Peter'], lastName: ['Jones'] } }, { employees: nested }),
    ).toBe(true);
  });

  it('lets other fields pair with any element', () => {
    const event = {
      source: 'app',
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 5 },
      ],
    };
    expect(
      matches({ source: ['app'], items: { sku: ['b'], qty: [{ numeric: ['>', 2] }] } }, event),
    ).toBe(true);
    expect(
      matches({ source: ['app'], items: { sku: ['a'], qty: [{ numeric: ['>', 2] }] } }, event),
    ).toBe(false);
  });
});

describe('prefix and suffix', () => {
  it('matches a prefix of a string value (user guide: time starts with 2017-10-02)', () => {
    expect(matches({ time: [{ prefix: '2017-10-02' }] }, rulerEvent)).toBe(true);
    expect(matches({ time: [{ prefix: '2017-10-03' }] }, rulerEvent)).toBe(false);
  });

  it('matches prefixes of strings only', () => {
    expect(matches({ detail: { n: [{ prefix: '1' }] } }, withDetail({ n: 12 }))).toBe(false);
    expect(matches({ detail: { n: [{ prefix: '' }] } }, withDetail({ n: 'anything' }))).toBe(true);
    expect(matches({ detail: { n: [{ prefix: '' }] } }, withDetail({ n: 12 }))).toBe(false);
  });

  it('matches a prefix regardless of case with equals-ignore-case (user guide: EventB)', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    for (const service of ['EventBridge', 'EVENTBRIDGE', 'eventbridge', 'eVeNtB']) {
      expect(matches(pattern, withDetail({ service }))).toBe(true);
    }
    expect(matches(pattern, withDetail({ service: 'Event' }))).toBe(false);
    expect(matches(pattern, withDetail({ service: 'MyEventBridge' }))).toBe(false);
  });

  it('matches a suffix (user guide: FileName ends with .png)', () => {
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' })).toBe(true);
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' })).toBe(false);
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png.txt' })).toBe(false);
  });

  it('matches a suffix regardless of case with equals-ignore-case', () => {
    const pattern = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(matches(pattern, withDetail({ FileName: 'image.PNG' }))).toBe(true);
    expect(matches(pattern, withDetail({ FileName: 'image.Png' }))).toBe(true);
    expect(matches(pattern, withDetail({ FileName: 'image.jpg' }))).toBe(false);
  });
});

describe('equals-ignore-case', () => {
  it('matches any casing (user guide: Name is "Alice")', () => {
    const pattern = { detail: { Name: [{ 'equals-ignore-case': 'alice' }] } };
    expect(matches(pattern, withDetail({ Name: 'Alice' }))).toBe(true);
    expect(matches(pattern, withDetail({ Name: 'ALICE' }))).toBe(true);
    expect(matches(pattern, withDetail({ Name: 'Alicia' }))).toBe(false);
  });

  it('folds case per character, including beyond ASCII', () => {
    const pattern = { detail: { city: [{ 'equals-ignore-case': 'münchen' }] } };
    expect(matches(pattern, withDetail({ city: 'MÜNCHEN' }))).toBe(true);
    expect(matches(pattern, withDetail({ city: 'MUNCHEN' }))).toBe(false);
  });

  it('matches an empty operand to an empty string only', () => {
    const pattern = { detail: { v: [{ 'equals-ignore-case': '' }] } };
    expect(matches(pattern, withDetail({ v: '' }))).toBe(true);
    expect(matches(pattern, withDetail({ v: 'a' }))).toBe(false);
  });
});

describe('anything-but', () => {
  it('excludes a single string (user guide: state besides "initializing")', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matches(pattern, rulerEvent)).toBe(true);
    expect(matches(pattern, withDetail({ state: 'initializing' }))).toBe(false);
  });

  it('excludes a single number and lists of numbers (user guide x-limit examples)', () => {
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, rulerEvent)).toBe(true);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 301.8 }] } }, rulerEvent)).toBe(false);
    const list = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matches(list, rulerEvent)).toBe(true);
    expect(matches(list, withDetail({ 'x-limit': 200.0 }))).toBe(false);
  });

  it('excludes a list of strings (user guide: stopped, overloaded)', () => {
    const pattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matches(pattern, rulerEvent)).toBe(true);
    expect(matches(pattern, withDetail({ state: 'stopped' }))).toBe(false);
  });

  it('matches values of other types, and null, but not a missing field', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matches(pattern, withDetail({ state: null }))).toBe(true);
    expect(matches(pattern, withDetail({ state: 12 }))).toBe(true);
    expect(matches(pattern, withDetail({}))).toBe(false);
    expect(matches({ detail: { n: [{ 'anything-but': 5 }] } }, withDetail({ n: '5' }))).toBe(true);
  });

  it('matches an array when any element is not excluded', () => {
    const pattern = { detail: { n: [{ 'anything-but': [100, 500] }] } };
    expect(matches(pattern, withDetail({ n: [100, 50] }))).toBe(true);
    expect(matches(pattern, withDetail({ n: [100, 500] }))).toBe(false);
  });

  it('excludes a prefix or a list of prefixes (user guide: Region not in the US)', () => {
    const pattern = { detail: { Region: [{ 'anything-but': { prefix: 'us-' } }] } };
    expect(matches(pattern, withDetail({ Region: 'eu-west-1' }))).toBe(true);
    expect(matches(pattern, withDetail({ Region: 'us-east-1' }))).toBe(false);
    expect(matches(pattern, withDetail({ Region: 12 }))).toBe(true);
    const list = { detail: { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] } };
    expect(matches(list, withDetail({ Region: 'ap-south-1' }))).toBe(true);
    expect(matches(list, withDetail({ Region: 'eu-west-1' }))).toBe(false);
  });

  it('excludes a suffix or a list of suffixes (user guide: not a .png)', () => {
    const pattern = { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } };
    expect(matches(pattern, withDetail({ FileName: 'a.txt' }))).toBe(true);
    expect(matches(pattern, withDetail({ FileName: 'a.png' }))).toBe(false);
    const list = { detail: { FileName: [{ 'anything-but': { suffix: ['.png', '.txt'] } }] } };
    expect(matches(list, withDetail({ FileName: 'a.txt' }))).toBe(false);
    expect(matches(list, withDetail({ FileName: 'a.jpg' }))).toBe(true);
  });

  it('excludes values in any casing with equals-ignore-case, single or list', () => {
    const pattern = {
      detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    };
    expect(matches(pattern, withDetail({ state: 'INITIALIZING' }))).toBe(false);
    expect(matches(pattern, withDetail({ state: 'running' }))).toBe(true);
    const list = {
      detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'Overloaded'] } }] },
    };
    expect(matches(list, withDetail({ state: 'stopped' }))).toBe(false);
    expect(matches(list, withDetail({ state: 'running' }))).toBe(true);
  });

  it('excludes wildcard matches, single or list (user guide: not under /lib/)', () => {
    const pattern = { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } };
    expect(matches(pattern, withDetail({ FilePath: '/usr/lib/x.so' }))).toBe(false);
    expect(matches(pattern, withDetail({ FilePath: '/usr/bin/x' }))).toBe(true);
    expect(matches(pattern, withDetail({ FilePath: 123 }))).toBe(true);
    const list = {
      detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] },
    };
    expect(matches(list, withDetail({ FilePath: '/usr/bin/x' }))).toBe(false);
    expect(matches(list, withDetail({ FilePath: '/usr/share/x' }))).toBe(true);
  });
});

describe('numeric', () => {
  it('matches the user guide ranges on the README event', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(matches(pattern, rulerEvent)).toBe(true);
    expect(matches(pattern, withDetail({ ...rulerEvent.detail, 'c-count': 6 }))).toBe(false);
    expect(matches(pattern, withDetail({ ...rulerEvent.detail, 'c-count': 0 }))).toBe(false);
  });

  it.each([
    [['>', 10], 10, false],
    [['>', 10], 10.000001, true],
    [['>=', 10], 10, true],
    [['<', 10], 9.999999, true],
    [['<', 10], 10, false],
    [['<=', 10], 10, true],
    [['=', 10], 10.0, true],
    [['=', 10], 10.5, false],
    [['>', 10, '<', 20], 15, true],
    [['>', 10, '<', 20], 20, false],
    [['>=', 10, '<=', 20], 20, true],
    [['>', -5, '<', 5], -4.5, true],
    [['>', 0], -0.000001, false],
  ])('numeric %j against %d is %s', (operands, value, expected) => {
    expect(matches({ detail: { n: [{ numeric: operands }] } }, withDetail({ n: value }))).toBe(
      expected,
    );
  });

  it('works on JSON numbers only: not strings, booleans or null', () => {
    const pattern = { detail: { n: [{ numeric: ['>', 100] }] } };
    expect(matches(pattern, withDetail({ n: '300' }))).toBe(false);
    expect(matches(pattern, withDetail({ n: null }))).toBe(false);
    expect(matches(pattern, withDetail({ n: true }))).toBe(false);
  });

  it('compares within the documented range (±5.0e9, six decimals)', () => {
    expect(matches({ detail: { n: [{ numeric: ['>=', 5e9] }] } }, withDetail({ n: 5e9 }))).toBe(
      true,
    );
    expect(matches({ detail: { n: [{ numeric: ['>', 0] }] } }, withDetail({ n: 6e9 }))).toBe(false);
    expect(
      matches({ detail: { n: [{ numeric: ['>', 0.000001] }] } }, withDetail({ n: 0.000002 })),
    ).toBe(true);
  });

  it('combines with anything-but for a string value (recorded AWS case)', () => {
    const pattern = {
      dynamodb: { NewImage: { n: { N: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] } } },
    };
    expect(matches(pattern, { dynamodb: { NewImage: { n: { N: '42' } } } })).toBe(true);
    expect(matches(pattern, { dynamodb: { NewImage: { n: { N: '101' } } } })).toBe(false);
  });
});

describe('exists', () => {
  it('matches a present leaf and refuses a missing one (user guide)', () => {
    expect(matches({ detail: { state: [{ exists: true }] } }, ec2Event)).toBe(true);
    expect(matches({ detail: { nope: [{ exists: true }] } }, ec2Event)).toBe(false);
    expect(matches({ detail: { nope: [{ exists: false }] } }, ec2Event)).toBe(true);
    expect(matches({ detail: { state: [{ exists: false }] } }, ec2Event)).toBe(false);
  });

  it('works on leaf nodes only: an object-valued field does not exist for it', () => {
    const event = withDetail({ 'c-count': { c1: 100 } });
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, event)).toBe(true);
    expect(matches({ detail: { 'c-count': { c1: [{ exists: true }] } } }, event)).toBe(true);
  });

  it('treats null as present and an empty array as absent', () => {
    expect(matches({ detail: { v: [{ exists: true }] } }, withDetail({ v: null }))).toBe(true);
    expect(matches({ resources: [{ exists: true }] }, { ...ec2Event, resources: [] })).toBe(false);
    expect(matches({ resources: [{ exists: false }] }, { ...ec2Event, resources: [] })).toBe(true);
  });

  it('treats exists:false as "nowhere in the event", even across array elements', () => {
    const event = { items: [{ sku: 'a' }, { sku: 'b', gift: true }] };
    expect(matches({ items: { gift: [{ exists: false }] } }, event)).toBe(false);
    expect(matches({ items: { note: [{ exists: false }] } }, event)).toBe(true);
  });

  it('ORs with other values of the field (recorded AWS case)', () => {
    const pattern = {
      dynamodb: {
        NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } },
      },
    };
    expect(matches(pattern, { dynamodb: { NewImage: { purchased: { N: '789' } } } })).toBe(true);
    expect(matches(pattern, { dynamodb: { NewImage: { homemade: { S: 'tulips' } } } })).toBe(true);
    expect(matches(pattern, { dynamodb: { NewImage: { homemade: { S: 'roses' } } } })).toBe(false);
  });
});

describe('cidr', () => {
  it('matches IPv4 addresses in a block (user guide: 10.0.0.0/24)', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expect(matches(pattern, withDetail({ sourceIPAddress: '10.0.0.255' }))).toBe(true);
    expect(matches(pattern, withDetail({ sourceIPAddress: '10.0.1.0' }))).toBe(false);
    expect(matches(pattern, withDetail({ sourceIPAddress: 'not-an-ip' }))).toBe(false);
    expect(matches(pattern, withDetail({ sourceIPAddress: 123 }))).toBe(false);
  });

  it('matches IPv6 addresses in a block, in any spelling', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } };
    expect(matches(pattern, withDetail({ sourceIPAddress: '2001:db8:1234:1a00::1' }))).toBe(true);
    expect(
      matches(pattern, withDetail({ sourceIPAddress: '2001:0DB8:1234:1A00:0:0:0:ffff' })),
    ).toBe(true);
    expect(matches(pattern, withDetail({ sourceIPAddress: '2001:db8:1234:1a01::' }))).toBe(false);
    expect(matches(pattern, withDetail({ sourceIPAddress: '10.0.0.1' }))).toBe(false);
  });

  it('matches the README complex example block', () => {
    expect(matches({ detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } }, rulerEvent)).toBe(true);
  });

  it('compares plain IP values as addresses, as event-ruler does', () => {
    expect(matches({ detail: { ip: ['::1'] } }, withDetail({ ip: '0:0:0:0:0:0:0:1' }))).toBe(true);
    expect(matches({ detail: { ip: ['10.0.0.1'] } }, withDetail({ ip: '10.0.0.2' }))).toBe(false);
  });
});

describe('wildcard', () => {
  it.each([
    ['Simple*Service', 'SimpleNotificationService', true],
    ['Simple*Service', 'SimpleService', true],
    ['Simple*Service', 'SimpleQueue', false],
    ['*.png', 'dir/file.png', true],
    ['*.png', 'file.png.txt', false],
    ['dir/*.png', 'dir/a.png', true],
    ['dir/*.png', 'other/a.png', false],
    ['*/dir/*.png', 'a/dir/b/c.png', true],
    [
      'arn:aws:events:us-east-1:*:event-bus/*',
      'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus',
      true,
    ],
    ['/Users/*/doc.txt', '/Users/ls_user/dir/dir/dir/dir/dir/doc.txt', true],
    ['/Users/*/dir/dir/dir/dir/dir/doc.txt', '/Users/ls_user/dir/dir/dir/dir/dir/doc.txt', true],
    ['*', '', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a\\\\b', 'a\\b', true],
    ['no-star', 'no-star', true],
    ['no-star', 'no-stars', false],
  ])('wildcard %j against %j is %s', (operand, value, expected) => {
    expect(matches({ detail: { v: [{ wildcard: operand }] } }, withDetail({ v: value }))).toBe(
      expected,
    );
  });

  it('matches strings only', () => {
    expect(matches({ detail: { v: [{ wildcard: '*' }] } }, withDetail({ v: 5 }))).toBe(false);
  });
});

describe('$or', () => {
  const cloudwatch = {
    source: 'aws.cloudwatch',
    metricName: 'CPUUtilization',
    namespace: 'AWS/Lambda',
    metricType: 'MetricType',
    scope: 'Other',
  };

  it('matches when any branch matches (user guide: Location or Day)', () => {
    const pattern = { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] };
    expect(matches(pattern, { Location: 'New York', Day: 'Sunday' })).toBe(true);
    expect(matches(pattern, { Location: 'Paris', Day: 'Monday' })).toBe(true);
    expect(matches(pattern, { Location: 'Paris', Day: 'Sunday' })).toBe(false);
  });

  it('ANDs with sibling fields ("source" && ("metricName" || "namespace"))', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { namespace: ['AWS/EC2', 'AWS/ES'] },
      ],
    };
    expect(matches(pattern, cloudwatch)).toBe(true);
    expect(matches(pattern, { ...cloudwatch, metricName: 'Other' })).toBe(false);
    expect(matches(pattern, { ...cloudwatch, metricName: 'Other', namespace: 'AWS/ES' })).toBe(
      true,
    );
    expect(matches(pattern, { ...cloudwatch, source: 'aws.ec2' })).toBe(false);
  });

  it('nests inside objects, applying the parent path to each branch', () => {
    const pattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    expect(matches(pattern, rulerEvent)).toBe(true);
    expect(matches(pattern, withDetail({ 'c-count': 50, 'd-count': 50, 'x-limit': 1 }))).toBe(
      false,
    );
    expect(matches(pattern, withDetail({ 'c-count': 50, 'd-count': 5 }))).toBe(true);
  });

  it('supports ANDs inside branches and nested $or (event-ruler README)', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2', 'AWS/ES'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ['Service'] },
      ],
    };
    const base = { ...cloudwatch, metricName: 'X' };
    expect(matches(pattern, base)).toBe(false);
    expect(matches(pattern, { ...base, scope: 'Service' })).toBe(true);
    expect(matches(pattern, { ...base, namespace: 'AWS/EC2' })).toBe(false);
    expect(matches(pattern, { ...base, namespace: 'AWS/EC2', spaceId: 1000 })).toBe(true);
    expect(matches(pattern, { ...base, namespace: 'AWS/EC2', metricId: 1234 })).toBe(true);
  });

  it('supports parallel $or at different levels', () => {
    const pattern = {
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      detail: {
        $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }],
      },
    };
    expect(
      matches(pattern, { metricName: 'CPUUtilization', detail: { source: 'aws.cloudwatch' } }),
    ).toBe(true);
    expect(
      matches(pattern, {
        namespace: 'AWS/EC2',
        detail: { 'detail-type': 'CloudWatch Alarm State Change' },
      }),
    ).toBe(true);
    expect(matches(pattern, { metricName: 'CPUUtilization', detail: { source: 'x' } })).toBe(false);
  });

  it('lets a branch field replace the same field outside the $or (event-ruler expansion)', () => {
    const pattern = '{"a": ["1"], "$or": [{"a": ["2"]}, {"b": ["3"]}]}';
    expect(matches(pattern, { a: '2' })).toBe(true);
    expect(matches(pattern, { a: '1', b: '3' })).toBe(true);
    expect(matches(pattern, { a: '1' })).toBe(false);
  });

  it('works with exists and anything-but in branches (recorded AWS "or" cases)', () => {
    const pattern = { $or: [{ a: [{ exists: false }] }, { b: [{ 'anything-but': 'x' }] }] };
    expect(matches(pattern, { b: 'x' })).toBe(true);
    expect(matches(pattern, { a: 1, b: 'x' })).toBe(false);
    expect(matches(pattern, { a: 1, b: 'y' })).toBe(true);
  });
});

describe('the user guide complex example', () => {
  const pattern = {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
      'source-ip': [{ cidr: '10.0.0.0/8' }],
    },
  };

  it('matches the README event, and fails when any one field fails', () => {
    expect(matches(pattern, rulerEvent)).toBe(true);
    expect(matches(pattern, { ...rulerEvent, time: '2017-10-03T00:00:00Z' })).toBe(false);
    expect(
      matches(pattern, { ...rulerEvent, detail: { ...rulerEvent.detail, 'x-limit': 300 } }),
    ).toBe(false);
    expect(
      matches(pattern, {
        ...rulerEvent,
        detail: { ...rulerEvent.detail, 'source-ip': '11.0.0.1' },
      }),
    ).toBe(false);
  });
});

describe('compiled once', () => {
  it('gives the same answers when one pattern is matched many times', () => {
    const pattern = parsePattern(
      JSON.stringify({ detail: { v: [{ wildcard: '*-*' }, { prefix: 'p' }] } }),
    );
    const results = ['a-b', 'pq', 'xyz', 'a-b'].map((v) =>
      matchPattern(pattern, withDetail({ v })),
    );
    expect(results).toEqual([true, true, false, true]);
  });
});
