import type { ChaosReport } from './run.js';

/** The run as a table for a terminal, then every violation with the order's events. */
export function formatReport(r: ChaosReport): string {
  const o = r.orders;
  const rows: [string, string][] = [
    ['mode', `${r.mode}, seed ${r.seed}`],
    [
      'faults asked',
      `handler errors ${pct(r.faultPlan.handlerErrorRate)}, timeouts ${pct(r.faultPlan.handlerTimeoutRate)}, ` +
        `kills ${pct(r.faultPlan.killWorkerRate)}, duplicates ${pct(r.faultPlan.duplicateRate)}, ` +
        `reorder <= ${r.faultPlan.reorderMaxDelayMs} ms, PutEvents throttled ${pct(r.faultPlan.putEventsThrottleRate)}`,
    ],
    [
      'provider',
      `down ${r.options.outageSeconds} s mid-run, latency ${r.options.slowMs} ms, declines ${pct(r.options.declineRate)}`,
    ],
    ['faults injected', r.faults ? injected(r.faults.injected) : 'none (fault injection off)'],
    ['orders accepted', `${o.accepted} of ${o.scripted}`],
    [
      'settled',
      Object.entries(o.settled)
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-',
    ],
    ['lost (missing / PENDING)', `${o.lost} / ${o.unsettled}`],
    ['double charges', String(o.doubleCharges)],
    ['money violations', String(o.moneyViolations)],
    ['cancelled after dispatch (race)', String(o.cancelledAfterDispatch)],
    [
      'timed out (deadline)',
      `${o.timedOut} cancelled TIMED_OUT (deadline ${r.options.orderDeadline ?? 'the default 15m'})`,
    ],
    [
      'shopper actions',
      `${o.duplicateSubmissions} duplicate POSTs, ${o.cancelRequests} cancels, ` +
        `${o.carrierWebhooks} carrier webhooks, ${o.restocks} restocks; ` +
        `${o.followUpsSkipped} follow-ups skipped (the order was cancelled first, or not CONFIRMED / SCHEDULED in time)`,
    ],
    [
      'stock drift per SKU',
      r.stock
        .map(
          (s) =>
            `${s.sku.split('-').pop()} ${s.drift}${s.reserved !== s.held ? `(reserved ${s.reserved - s.held > 0 ? '+' : ''}${s.reserved - s.held})` : ''}`,
        )
        .join(', '),
    ],
    ['messages redriven', `${r.deadLetters.redriven} in ${r.deadLetters.rounds} round(s)`],
    ['messages left in DLQs', String(Object.values(r.deadLetters.left).reduce((a, b) => a + b, 0))],
    [
      'archive replay',
      r.replay
        ? `${r.replay.events} events replayed, ${r.replay.stateChanges} state changes, ` +
          `${r.replay.ledgerChanges ? 'money moved' : 'no money moved'}`
        : 'skipped',
    ],
    [
      'client retries',
      `${r.http.retried} of ${r.http.calls} calls needed a retry (${r.http.failedAttempts} failed attempts)`,
    ],
    ['throttled (retried)', `${r.http.throttled} answers 429 Too Many Requests, each retried`],
    [
      'duration',
      `${secs(r.durations['total'] ?? 0)} (${Object.entries(r.durations)
        .filter(([k]) => k !== 'total')
        .map(([k, v]) => `${k} ${secs(v)}`)
        .join(', ')})`,
    ],
    ['result', r.ok ? 'OK: no invariant violated' : `FAILED: ${r.violations.length} violation(s)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  if (r.violations.length) {
    lines.push('', 'Violations:');
    for (const v of r.violations) {
      lines.push(`- [${v.kind}] ${v.subject}: ${v.detail}`);
      for (const j of v.journey ?? []) lines.push(`    ${j}`);
    }
  }
  return lines.join('\n');
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function injected(stats: Record<string, unknown> | undefined): string {
  if (!stats) return 'unknown';
  const parts = Object.entries(stats).map(([k, v]) =>
    typeof v === 'object' && v !== null ? `${k} ${JSON.stringify(v)}` : `${k} ${String(v)}`,
  );
  return parts.join(', ') || 'none';
}
