import type { Journey } from '../journey.js';
import { html } from './html.js';

const LANE_W = 128;
const ROW_H = 34;
const TOP = 44;
const LEFT = 78;

interface Arrow {
  at: number;
  from: string;
  to: string;
  label: string;
  note: string;
  kind: 'event' | 'arrival' | 'unmatched';
  key: string;
}

/** The arrows of a journey in time order: calls from outside, then each event to each consumer. */
export function arrowsOf(j: Journey): Arrow[] {
  const byEventId = new Map(j.events.filter((e) => e.eventId).map((e) => [e.eventId!, e]));
  const arrows: Arrow[] = j.arrivals.map((a) => ({
    at: a.startedAt,
    from: 'outside',
    to: a.lane,
    label: a.routeKeys[0] ?? a.label,
    note: `${a.durationMs} ms${a.outcome === 'ok' ? '' : `, ${a.outcome}`}`,
    kind: 'arrival',
    key: `a-${a.requestId}`,
  }));
  for (const e of j.events) {
    const at = Date.parse(e.receivedAt);
    const cause = e.causationId ? byEventId.get(e.causationId) : undefined;
    const note = cause ? `+${at - Date.parse(cause.receivedAt)} ms after ${cause.detailType}` : '';
    if (e.consumers.length === 0) {
      arrows.push({
        at,
        from: e.lane,
        to: e.lane,
        label: e.detailType,
        note: note || 'no rule matched',
        kind: 'unmatched',
        key: `e-${e.seq}`,
      });
    }
    e.consumers.forEach((c, i) =>
      arrows.push({
        at: at + i / 1000,
        from: e.lane,
        to: c.lane,
        label: e.detailType,
        note,
        kind: 'event',
        key: `e-${e.seq}-${i}`,
      }),
    );
  }
  return arrows.sort((a, b) => a.at - b.at);
}

/** A sequence diagram in SVG: a lane per service, an arrow per hop, the time between hops. */
export function SequenceDiagram(props: { journey: Journey }) {
  const { lanes } = props.journey;
  const arrows = arrowsOf(props.journey);
  const x = (lane: string) => LEFT + (Math.max(0, lanes.indexOf(lane)) + 0.5) * LANE_W;
  const width = LEFT + lanes.length * LANE_W + 20;
  const height = TOP + (arrows.length + 1) * ROW_H;
  const t0 = arrows[0]?.at ?? 0;
  return html`
    <svg
      class="sequence"
      data-testid="sequence"
      width=${width}
      height=${height}
      viewBox=${`0 0 ${width} ${height}`}
      role="img"
      aria-label="The order's journey across the services"
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
        </marker>
      </defs>
      ${lanes.map(
        (l) => html`
          <g key=${l} data-testid="lane" data-lane=${l}>
            <rect
              x=${x(l) - 58}
              y="6"
              width="116"
              height="26"
              rx="5"
              class=${`lane-head lane-${l}`}
            />
            <text x=${x(l)} y="24" text-anchor="middle" class="lane-name">${l}</text>
            <line x1=${x(l)} y1=${TOP - 8} x2=${x(l)} y2=${height - 6} class="lifeline" />
          </g>
        `,
      )}
      ${arrows.map((a, i) => {
        const y = TOP + (i + 0.7) * ROW_H;
        const x1 = x(a.from);
        const x2 = x(a.to);
        const self = x1 === x2;
        return html`
          <g key=${a.key} class=${`hop ${a.kind}`} data-testid="hop" data-label=${a.label}>
            <text x="6" y=${y + 4} class="hop-time">+${Math.round(a.at - t0)} ms</text>
            ${
              self
                ? html`<path
                    d=${`M${x1},${y - 6} h28 v12 h-26`}
                    class="hop-line"
                    marker-end="url(#arrow)"
                  />`
                : html`<line
                    x1=${x1}
                    y1=${y}
                    x2=${x2 + (x2 > x1 ? -4 : 4)}
                    y2=${y}
                    class="hop-line"
                    marker-end="url(#arrow)"
                  />`
            }
            <text
              x=${self ? x1 + 34 : (x1 + x2) / 2}
              y=${y - 6}
              text-anchor=${self ? 'start' : 'middle'}
              class="hop-label"
              >${a.label}</text
            >
            ${a.note ? html`<text x=${self ? x1 + 34 : (x1 + x2) / 2} y=${y + 13} text-anchor=${self ? 'start' : 'middle'} class="hop-note">${a.note}</text>` : ''}
          </g>
        `;
      })}
    </svg>
  `;
}
