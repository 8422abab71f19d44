/**
 * The EventBridge event-pattern language: parse once (PutRule, CreateArchive,
 * TestEventPattern), then match every event on the bus against the compiled form.
 *
 * Behaviour follows AWS's documentation and, where it is silent, aws/event-ruler (the matcher
 * AWS uses): invalid patterns are refused with `InvalidEventPatternException` and the reason
 * AWS gives, including Jackson's `at [Source: ...; line, column]` suffix. See pattern/*.ts.
 */
import { AwsError } from '../core/errors.js';
import {
  ArithmeticFailure,
  IllegalArgument,
  PatternParseError,
  compile,
  type SubRule,
} from './pattern/compile.js';
import { matches, planFor, type MatchPlan } from './pattern/match.js';

/** AWS's default "Event pattern size" quota, in characters (adjustable up to 4096). */
export const EVENT_PATTERN_MAX_LENGTH = 2048;

/** A parsed, validated pattern, ready to match events. */
export interface EventPattern {
  /** The pattern as given (DescribeRule returns it verbatim). */
  readonly text: string;
  /** `$or` expanded: the pattern matches when any sub-rule does. */
  readonly subRules: readonly SubRule[];
  readonly plan: MatchPlan;
}

export interface ParseOptions {
  /** Characters allowed; AWS's default quota unless given (undefined-safe). */
  readonly maxLength?: number;
}

/**
 * Parses and validates a pattern string as PutRule/CreateArchive/TestEventPattern do. Throws
 * AwsError('InvalidEventPatternException', <AWS's wording>) when invalid.
 */
export function parsePattern(text: string, options: ParseOptions = {}): EventPattern {
  const maxLength = options.maxLength ?? EVENT_PATTERN_MAX_LENGTH;
  if (text.length > maxLength) {
    // AWS's wording for this case is not published; same form as its other reasons.
    throw invalid(
      `Event pattern is ${text.length} characters long, more than the ${maxLength} allowed by the "Event pattern size" quota`,
    );
  }
  try {
    const subRules = compile(text);
    return { text, subRules, plan: planFor(subRules) };
  } catch (error) {
    if (
      error instanceof PatternParseError ||
      error instanceof IllegalArgument ||
      error instanceof ArithmeticFailure
    ) {
      throw invalid(error.message);
    }
    throw error;
  }
}

/**
 * True when the event (the full EventBridge event object: version, id, detail-type, source,
 * account, time, region, resources, detail) matches. `detail` must be the parsed object.
 */
export function matchPattern(pattern: EventPattern, event: unknown): boolean {
  return matches(pattern.plan, event);
}

function invalid(reason: string): AwsError {
  return new AwsError(
    'InvalidEventPatternException',
    `Event pattern is not valid. Reason: ${reason}`,
  );
}
