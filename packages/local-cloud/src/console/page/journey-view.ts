import { useEffect, useState } from 'preact/hooks';
import type { Journey } from '../journey.js';
import { html } from './html.js';
import { SequenceDiagram } from './sequence-diagram.js';
import { getJson } from './stream.js';

/** One order's journey; reloaded (at most every 300 ms) while its events keep arriving. */
export function JourneyView(props: { id: string; touched: { id: string; n: number } | undefined }) {
  const [journey, setJourney] = useState<Journey>();
  const [error, setError] = useState<string>();
  const bump = props.touched?.id === props.id ? props.touched.n : 0;
  useEffect(() => {
    let live = true;
    const t = setTimeout(
      () => {
        getJson<Journey>(`/_console/api/journeys/${encodeURIComponent(props.id)}`).then(
          (j) => live && (setJourney(j), setError(undefined)),
          (e: Error) => live && setError(e.message),
        );
      },
      bump ? 300 : 0,
    );
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [props.id, bump]);
  if (error) return html`<p class="error">${error}</p>`;
  if (!journey) return html`<p class="muted">Loading the journey of ${props.id}…</p>`;
  const state = journey.state as Record<string, unknown> | undefined;
  return html`
    <section class="journey" data-testid="journey">
      <h2>Order <span class="mono">${journey.correlationId}</span></h2>
      <div class="journey-grid">
        <div class="panel">
          <h3>Across the services</h3>
          ${
            journey.events.length === 0 && journey.arrivals.length === 0
              ? html`<p class="muted">No event or call of this order is recorded (yet).</p>`
              : html`<${SequenceDiagram} journey=${journey} />`
          }
        </div>
        <div class="panel side">
          <h3>Now, in the read model</h3>
          ${
            state
              ? html`<dl class="facts" data-testid="order-state">
                    <dt>status</dt>
                    <dd data-testid="order-status">
                      ${String(state['status'] ?? '?')}${state['reason'] ? ` (${String(state['reason'])})` : ''}
                    </dd>
                    ${
                      state['amountCents'] !== undefined
                        ? html`<dt>amount</dt>
                            <dd>${amountOf(state)}</dd>`
                        : ''
                    }
                    <dt>payment</dt>
                    <dd>${describe(state['payment'])}</dd>
                    <dt>shipment</dt>
                    <dd>${describe(state['shipment'])}</dd>
                  </dl>
                  <details>
                    <summary>the whole view</summary>
                    <pre>${JSON.stringify(state, null, 2)}</pre>
                  </details>`
              : html`<p class="muted">
                  The read model has no view of it (not an order, or not projected yet).
                </p>`
          }
          <h3>Dead letters</h3>
          ${
            journey.deadLetters.length === 0
              ? html`<p class="muted" data-testid="no-dead-letters">
                  None of its messages is in a dead-letter queue.
                </p>`
              : html`<ul data-testid="journey-dead-letters">
                  ${journey.deadLetters.map(
                    (d) =>
                      html`<li>
                        <a href="#/queues">${d.queue}</a>:
                        ${d.reason ? `${d.reason.message}${d.reason.error ? ` — ${d.reason.error}` : ''}` : `after ${d.receiveCount} receives`}
                      </li>`,
                  )}
                </ul>`
          }
          <h3>Functions that ran</h3>
          <ul class="invocations">
            ${journey.invocations.map(
              (i) =>
                html`<li key=${i.requestId} class=${i.outcome}>
                  <span class="mono">${i.label}</span> ${i.durationMs} ms
                  ${i.outcome !== 'ok' ? html`<b>${i.outcome}</b> ${i.error ?? ''}` : ''}
                </li>`,
            )}
          </ul>
        </div>
      </div>
    </section>
  `;
}

function amountOf(state: Record<string, unknown>): string {
  return `${(Number(state['amountCents']) / 100).toFixed(2)} ${String(state['currency'] ?? '')}`;
}

function describe(part: unknown): string {
  if (!part || typeof part !== 'object') return '—';
  const p = part as Record<string, unknown>;
  return Object.entries(p)
    .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
    .map(([k, v]) => (k === 'status' ? String(v) : `${k} ${String(v)}`))
    .join(', ');
}
