import { render } from 'preact';
import { useState } from 'preact/hooks';
import { CatalogView } from './catalog-view.js';
import { EventsView } from './events-view.js';
import { FaultsView } from './faults-view.js';
import { html } from './html.js';
import { JourneyView } from './journey-view.js';
import { QueuesView } from './queues-view.js';
import { useRoute } from './router.js';
import { useLive } from './stream.js';

function App() {
  const route = useRoute();
  const [paused, setPaused] = useState(false);
  const live = useLive(paused);
  const dlqDepth = (live.stats?.queues ?? [])
    .filter((q) => q.deadLetter)
    .reduce((n, q) => n + q.visible, 0);
  const tab = (view: string, href: string, label: string) =>
    html`<a href=${href} class=${route.view === view ? 'active' : ''} data-testid=${`tab-${view}`}
      >${label}</a
    >`;
  return html`
    <header>
      <h1>Local console</h1>
      <nav>
        ${tab('events', '#/', 'Live events')}
        ${route.view === 'journey' ? tab('journey', location.hash, 'Journey') : ''}
        ${tab('queues', '#/queues', dlqDepth > 0 ? `Queues & functions (${dlqDepth} dead)` : 'Queues & functions')}
        ${tab('catalog', '#/catalog', 'Event catalog')}
        ${tab('faults', '#/faults', live.stats?.faults.enabled ? 'Faults: on' : 'Faults')}
      </nav>
      <span class=${live.connected ? 'status ok' : 'status'} data-testid="connection"
        >${live.connected ? 'live' : 'connecting…'}</span
      >
    </header>
    <main>
      ${route.view === 'events' ? html`<${EventsView} events=${live.events} paused=${paused} onPause=${setPaused} dropped=${live.dropped} />` : ''}
      ${route.view === 'journey' ? html`<${JourneyView} id=${route.id} touched=${live.lastCorrelationId} />` : ''}
      ${route.view === 'queues' ? html`<${QueuesView} stats=${live.stats} />` : ''}
      ${route.view === 'catalog' ? html`<${CatalogView} />` : ''}
      ${route.view === 'faults' ? html`<${FaultsView} stats=${live.stats} />` : ''}
    </main>
  `;
}

render(html`<${App} />`, document.getElementById('app')!);
