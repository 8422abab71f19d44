import { useState } from 'preact/hooks';
import { html } from './html.js';
import { getJson } from './stream.js';
import type { Stats } from './types.js';

const EXAMPLE = '{"seed":1,"handlerErrorRate":0.2,"duplicateRate":0.1,"reorderMaxDelayMs":500}';

/** The fault plan (PUT / DELETE /_local/faults, as the chaos runner uses it) and a switch. */
export function FaultsView(props: { stats: Stats | undefined }) {
  const faults = props.stats?.faults;
  const [plan, setPlan] = useState(EXAMPLE);
  const [message, setMessage] = useState<string>();
  const turn = async (on: boolean) => {
    try {
      await getJson('/_local/faults', on ? { method: 'PUT', body: plan } : { method: 'DELETE' });
      setMessage(on ? 'Fault injection is on.' : 'Fault injection is off.');
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return html`
    <section class="faults" data-testid="faults">
      <h2>
        Fault injection
        <span data-testid="faults-state" class=${faults?.enabled ? 'tag on' : 'tag'}
          >${faults?.enabled ? 'on' : 'off'}</span
        >
      </h2>
      <button
        class="switch"
        data-testid="faults-switch"
        aria-pressed=${!!faults?.enabled}
        onClick=${() => turn(!faults?.enabled)}
      >
        ${faults?.enabled ? 'Turn fault injection off' : 'Turn fault injection on'}
      </button>
      <p>The plan to turn on (fields and ranges: the local cloud's README, "Fault injection"):</p>
      <textarea
        data-testid="faults-plan"
        rows="4"
        value=${plan}
        onInput=${(e: Event) => setPlan((e.target as HTMLTextAreaElement).value)}
      ></textarea>
      ${message ? html`<p data-testid="faults-message">${message}</p>` : ''}
      <h3>Now</h3>
      <pre>${JSON.stringify(faults ?? {}, null, 2)}</pre>
    </section>
  `;
}
