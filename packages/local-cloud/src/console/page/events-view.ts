import { Component } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import type { ConsoleEvent } from '../journey.js';
import { html } from './html.js';
import { journeyHref } from './router.js';

/** Rows drawn at most: the newest first; the page keeps more for its filters. */
const SHOWN_ROWS = 150;

interface RowProps {
  event: ConsoleEvent;
  open: boolean;
  onToggle: (seq: number) => void;
}

/**
 * One event's row, and its JSON when open. It renders again only when its own props change: a
 * new event costs one row, not the whole table (what keeps the page smooth at 100 events/s).
 */
class EventRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    return next.event !== this.props.event || next.open !== this.props.open;
  }

  override render({ event: e, open, onToggle }: RowProps) {
    return html`
      <tr
        class=${open ? 'open' : ''}
        data-testid="event-row"
        data-detail-type=${e.detailType}
        onClick=${() => onToggle(e.seq)}
      >
        <td class="mono">${e.receivedAt.slice(11, 23)}</td>
        <td>
          <span class=${`badge lane-${e.lane}`}>${e.detailType}</span
          >${e.replayName ? html` <span class="tag">replay</span>` : ''}
        </td>
        <td class="mono">${e.source}</td>
        <td class="mono">
          ${e.correlationId ? html`<a href=${journeyHref(e.correlationId)} onClick=${(ev: Event) => ev.stopPropagation()} data-testid="journey-link">${e.correlationId}</a>` : ''}
        </td>
        <td class="summary">${e.summary}</td>
      </tr>
      ${
        open
          ? html`<tr class="json-row">
              <td colspan="5">
                <pre data-testid="event-json">${JSON.stringify(e.event, null, 2)}</pre>
              </td>
            </tr>`
          : ''
      }
    `;
  }
}

export function EventsView(props: {
  events: ConsoleEvent[];
  paused: boolean;
  onPause: (paused: boolean) => void;
  dropped: number;
}) {
  const [lane, setLane] = useState('');
  const [type, setType] = useState('');
  const [order, setOrder] = useState('');
  const [open, setOpen] = useState<number>();
  const toggle = useCallback((seq: number) => setOpen((o) => (o === seq ? undefined : seq)), []);
  const lanes = [...new Set(props.events.map((e) => e.lane))].sort();
  const types = [...new Set(props.events.map((e) => e.detailType))].sort();
  const shown = props.events.filter(
    (e) =>
      (!lane || e.lane === lane) &&
      (!type || e.detailType === type) &&
      (!order || (e.correlationId ?? '').includes(order.trim())),
  );
  return html`
    <section class="events">
      <div class="toolbar">
        <label
          >service
          <select
            data-testid="filter-service"
            value=${lane}
            onChange=${(ev: Event) => setLane((ev.target as HTMLSelectElement).value)}
          >
            <option value="">all</option>
            ${lanes.map((l) => html`<option value=${l}>${l}</option>`)}
          </select></label
        >
        <label
          >type
          <select
            data-testid="filter-type"
            value=${type}
            onChange=${(ev: Event) => setType((ev.target as HTMLSelectElement).value)}
          >
            <option value="">all</option>
            ${types.map((t) => html`<option value=${t}>${t}</option>`)}
          </select></label
        >
        <label
          >order
          <input
            data-testid="filter-order"
            placeholder="correlation id"
            value=${order}
            onInput=${(ev: Event) => setOrder((ev.target as HTMLInputElement).value)}
        /></label>
        <button data-testid="pause" onClick=${() => props.onPause(!props.paused)}>
          ${props.paused ? 'Resume' : 'Pause'}
        </button>
        <span class="muted" data-testid="event-count"
          >${countLine(shown.length, props.events.length, props.dropped)}</span
        >
      </div>
      <table class="grid" data-testid="events">
        <thead>
          <tr>
            <th>time</th>
            <th>detail-type</th>
            <th>source</th>
            <th>order</th>
            <th>summary</th>
          </tr>
        </thead>
        <tbody>
          ${shown
            .slice(0, SHOWN_ROWS)
            .map(
              (e) =>
                html`<${EventRow}
                  key=${e.seq}
                  event=${e}
                  open=${open === e.seq}
                  onToggle=${toggle}
                />`,
            )}
        </tbody>
      </table>
      ${props.events.length === 0 ? html`<p class="muted">No event on the bus yet: place an order through the HTTP API.</p>` : ''}
    </section>
  `;
}

/** One string, so formatting the markup can never split its words. */
function countLine(shown: number, kept: number, dropped: number): string {
  const skipped = dropped ? `, ${dropped} skipped (the page fell behind)` : '';
  return `${shown} of the latest ${kept} events${skipped}`;
}
