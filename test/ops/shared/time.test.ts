import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../ops/shared/cli.js';
import { formatDuration, parseTime } from '../../../ops/shared/time.js';

const NOW = Date.parse('2024-05-01T12:00:00.000Z');

describe('parseTime', () => {
  it.each([
    ['now', '2024-05-01T12:00:00.000Z'],
    ['-2h', '2024-05-01T10:00:00.000Z'],
    ['-1d12h', '2024-04-30T00:00:00.000Z'],
    ['-90s', '2024-05-01T11:58:30.000Z'],
    ['-1w', '2024-04-24T12:00:00.000Z'],
    ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T10:00:00+02:00', '2024-05-01T08:00:00.000Z'],
    ['2024-05-01', '2024-05-01T00:00:00.000Z'],
  ])('%s', (text, expected) => {
    expect(parseTime(text, NOW, '--from').toISOString()).toBe(expected);
  });

  it.each(['yesterday', '-2x', '2h', '2024-05-01T10:00:00', '2024-13-45T00:00:00Z'])(
    'refuses %s naming the flag and the formats',
    (text) => {
      expect(() => parseTime(text, NOW, '--from')).toThrow(UsageError);
      expect(() => parseTime(text, NOW, '--from')).toThrow(/--from/);
    },
  );
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [12_300, '12.3s'],
    [245_000, '4m 05s'],
    [7_380_000, '2h 03m'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d 4h'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
