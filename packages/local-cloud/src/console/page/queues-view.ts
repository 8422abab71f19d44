import { useEffect, useState } from 'preact/hooks';
import type { DeadLetter, QueueFigures, RedriveOutcome } from '../queues.js';
import { html } from './html.js';
import { getJson } from './stream.js';
import type { Stats } from './types.js';

const ms = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)}`);

export function QueuesView(props: { stats: Stats | undefined }) {
  const [selected, setSelected] = useState<string>();
  if (!props.stats) return html`<p class="muted">Waiting for the first figures…</p>`;
  const { queues, functions } = props.stats;
  return html`
    <section class="queues">
      <h2>Queues</h2>
      ${selected ? html`<${DeadLetters} name=${selected} depth=${queues.find((q) => q.name === selected)?.visible ?? 0} noRedrive=${!!queues.find((q) => q.name === selected)?.failedBatchesOf} onClose=${() => setSelected(undefined)} />` : html`<p class="muted">Click a dead-letter queue to see its messages and redrive them.</p>`}
      <table class="grid" data-testid="queues">
        <thead>
          <tr>
            <th>queue</th>
            <th>visible</th>
            <th>in flight</th>
            <th>delayed</th>
            <th>oldest</th>
            <th>dead letters go</th>
          </tr>
        </thead>
        <tbody>
          ${queues.map(
            (q: QueueFigures) => html`
              <tr
                key=${q.arn}
                class=${q.deadLetter ? (q.visible > 0 ? 'dlq has-messages' : 'dlq') : ''}
                data-testid="queue-row"
                data-queue=${q.name}
                onClick=${() => q.deadLetter && setSelected(q.name)}
              >
                <td class="mono">
                  ${q.deadLetter ? html`<span class="tag">DLQ</span> ` : ''}${q.name}
                </td>
                <td data-testid="queue-visible">${q.visible}</td>
                <td>${q.inFlight}</td>
                <td>${q.delayed}</td>
                <td>${q.oldestAgeSeconds === undefined ? '—' : `${q.oldestAgeSeconds} s`}</td>
                <td class="mono small">${whereTo(q)}</td>
              </tr>
            `,
          )}
        </tbody>
      </table>
      <h2>Functions <span class="muted small">(the last 5 minutes)</span></h2>
      <table class="grid" data-testid="functions">
        <thead>
          <tr>
            <th>function</th>
            <th>invocations</th>
            <th>errors</th>
            <th>timeouts</th>
            <th>cold starts</th>
            <th>p50 ms</th>
            <th>p90 ms</th>
            <th>p99 ms</th>
            <th>max ms</th>
          </tr>
        </thead>
        <tbody>
          ${functions.map(
            (f) =>
              html`<tr key=${f.label} class=${f.errors + f.timeouts > 0 ? 'failing' : ''}>
                <td class="mono">${f.label}</td>
                <td>${f.invocations}</td>
                <td>${f.errors}</td>
                <td>${f.timeouts}</td>
                <td>${f.coldStarts}</td>
                <td>${ms(f.p50Ms)}</td>
                <td>${ms(f.p90Ms)}</td>
                <td>${ms(f.p99Ms)}</td>
                <td>${ms(f.maxMs)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
  `;
}

function DeadLetters(props: {
  name: string;
  depth: number;
  noRedrive: boolean;
  onClose: () => void;
}) {
  const [messages, setMessages] = useState<DeadLetter[]>();
  const [outcome, setOutcome] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    getJson<{ messages: DeadLetter[] }>(
      `/_console/api/queues/${encodeURIComponent(props.name)}/messages`,
    ).then(
      (r) => setMessages(r.messages),
      (e: Error) => setOutcome(e.message),
    );
  }, [props.name, props.depth]);
  const redrive = async () => {
    setBusy(true);
    try {
      const r = await getJson<RedriveOutcome>(
        `/_console/api/queues/${encodeURIComponent(props.name)}/redrive`,
        { method: 'POST' },
      );
      setOutcome(
        `Moved ${r.moved} message${r.moved === 1 ? '' : 's'} back to ${r.to.map((a) => a.split(':').at(-1)).join(', ')} (${r.how}).`,
      );
    } catch (e) {
      setOutcome((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <div class="panel" data-testid="dead-letters">
      <h3>${props.name} <button onClick=${props.onClose} class="link">close</button></h3>
      <button
        data-testid="redrive"
        disabled=${busy || props.depth === 0 || props.noRedrive}
        onClick=${redrive}
      >
        Redrive ${props.depth} message${props.depth === 1 ? '' : 's'}
      </button>
      ${outcome ? html`<p data-testid="redrive-outcome">${outcome}</p>` : ''}
      ${
        messages === undefined
          ? html`<p class="muted">Loading…</p>`
          : messages.length === 0
            ? html`<p class="muted">Empty.</p>`
            : html`<ul class="letters">
                ${messages.map(
                  (m) =>
                    html`<li key=${m.messageId} data-testid="dead-letter">
                      <div><span class="mono">${m.messageId}</span>${receivedLine(m)}</div>
                      <div class="reason">
                        ${m.reason ? html`<b>why:</b> ${m.reason.message}${m.reason.error ? ` — ${m.reason.error}` : ''} <span class="muted">(${m.reason.where})</span>` : html`<span class="muted">no failure logged for it: it ran out of receives, or its target refused it</span>`}
                      </div>
                      <details>
                        <summary>body</summary>
                        <pre>${pretty(m.body)}</pre>
                      </details>
                    </li>`,
                )}
              </ul>`
      }
    </div>
  `;
}

/** Where a queue's failed messages go, or where a dead-letter queue's go back to. */
function whereTo(q: QueueFigures): string {
  const name = (arn: string) => arn.split(':').at(-1)!;
  if (q.failedBatchesOf) return `failed stream batches of ${q.failedBatchesOf} (no redrive)`;
  if (q.deadLetter) return `back to ${q.redriveTo.map(name).join(', ')}`;
  if (q.deadLetterTargetArn)
    return `to ${name(q.deadLetterTargetArn)} after ${q.maxReceiveCount} receives`;
  return '';
}

/** One string, so formatting the markup can never split its words. */
function receivedLine(m: DeadLetter): string {
  const limit = m.maxReceiveCount ? ` (the limit is ${m.maxReceiveCount})` : '';
  return `, sent ${m.sentAt.slice(11, 19)}, received ${m.receiveCount} times${limit}`;
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
