/**
 * Event filtering of an event-source mapping (`FilterCriteria`): Lambda uses
 * the EventBridge pattern language on each record, and a record passes if any
 * filter matches (at most 5 filters per mapping in AWS).
 */
import { matchPattern, parsePattern } from '../../eventbridge/pattern.js';

export type RecordFilter = (record: Record<string, unknown>) => boolean;

/** Throws (naming the pattern) if a pattern is not a valid EventBridge pattern. */
export function compileFilters(patterns: readonly string[], where: string): RecordFilter {
  if (patterns.length === 0) return () => true;
  const compiled = patterns.map((text) => {
    try {
      return parsePattern(text);
    } catch (e) {
      throw new Error(`${where}: invalid FilterCriteria pattern ${text}: ${(e as Error).message}`);
    }
  });
  return (record) => compiled.some((p) => matchPattern(p, record));
}
