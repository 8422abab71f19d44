/**
 * EventBridge rules with a ScheduleExpression (on the default bus) fire on the
 * cloud's clock: at each occurrence the rule's targets get AWS's "Scheduled
 * Event" (source `aws.events`, detail-type `Scheduled Event`, detail `{}`,
 * resources [the rule's ARN]):
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
 * Rules read cron in UTC; a rate counts from when the rule was created or
 * changed, its first run one period later.
 */
import type { Clock, ClockTimer } from '../core/clock.js';
import {
  nextOccurrence,
  parseExpression,
  type ScheduleExpression,
} from '../scheduler/expression.js';
import type { BusEvent, Rule } from './model.js';
import { isEnabled } from './model.js';

interface Armed {
  rule: Rule;
  state: Rule['state'];
  expression: ScheduleExpression;
  anchorMs: number;
  timer?: ClockTimer;
}

export interface ScheduleRulesDeps {
  clock: Clock;
  /** The rules of the default bus, where scheduled rules live. */
  rules: () => Iterable<Rule>;
  /** Builds the event for one occurrence. */
  scheduledEvent: (rule: Rule, atMs: number) => BusEvent;
  /** Hands the event to the rule's targets (its input transformation and retries included). */
  deliver: (rule: Rule, event: BusEvent) => void;
}

export class ScheduleRules {
  private readonly armed = new Map<string, Armed>();
  private stopped = false;

  constructor(private readonly deps: ScheduleRulesDeps) {}

  /** Call after anything that may create, replace, delete, enable or disable a rule. */
  sync(): void {
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const rule of this.deps.rules()) {
      if (rule.scheduleExpression === undefined || !isEnabled(rule)) continue;
      seen.add(rule.arn);
      const current = this.armed.get(rule.arn);
      // PutRule replaces the Rule object; Enable/DisableRule change its state.
      if (current && current.rule === rule && current.state === rule.state) continue;
      current?.timer?.cancel();
      let expression: ScheduleExpression;
      try {
        expression = parseExpression(rule.scheduleExpression);
      } catch {
        continue; // PutRule refused it already; nothing to fire.
      }
      const armed: Armed = { rule, state: rule.state, expression, anchorMs: this.deps.clock.now() };
      this.armed.set(rule.arn, armed);
      this.arm(armed, this.deps.clock.now() + 1);
    }
    for (const [arn, armed] of this.armed) {
      if (seen.has(arn)) continue;
      armed.timer?.cancel();
      this.armed.delete(arn);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const armed of this.armed.values()) armed.timer?.cancel();
    this.armed.clear();
  }

  private arm(armed: Armed, fromMs: number): void {
    const at = nextOccurrence(armed.expression, fromMs, { zone: 'UTC', anchorMs: armed.anchorMs });
    if (at === undefined) return;
    armed.timer = this.deps.clock.at(at, () => {
      if (this.stopped || this.armed.get(armed.rule.arn) !== armed) return;
      this.deps.deliver(armed.rule, this.deps.scheduledEvent(armed.rule, at));
      this.arm(armed, at + 1);
    });
  }
}
