import { useEffect, useState } from 'preact/hooks';
import type { CatalogEntry } from '../catalog.js';
import { html } from './html.js';
import { getJson } from './stream.js';

interface Field {
  path: string;
  type: string;
  required: boolean;
  rules: string;
}

/** A JSON Schema's properties as rows: dotted path, type, required, its constraints. */
export function fieldsOf(schema: unknown, prefix = '', required = true): Field[] {
  const s = (schema ?? {}) as Record<string, unknown>;
  const props = (s['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  const req = new Set((s['required'] as string[] | undefined) ?? []);
  return Object.entries(props).flatMap(([name, p]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    const type = Array.isArray(p['type'])
      ? (p['type'] as string[]).join(' | ')
      : String(p['type'] ?? (p['anyOf'] || p['oneOf'] ? 'one of' : 'any'));
    const rules = [
      p['enum']
        ? `one of ${(p['enum'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
        : '',
      p['format'] ? `format ${String(p['format'])}` : '',
      p['minimum'] !== undefined ? `≥ ${String(p['minimum'])}` : '',
      p['maximum'] !== undefined ? `≤ ${String(p['maximum'])}` : '',
      p['minLength'] !== undefined ? `length ≥ ${String(p['minLength'])}` : '',
      p['maxLength'] !== undefined ? `length ≤ ${String(p['maxLength'])}` : '',
      p['items']
        ? `items: ${String((p['items'] as Record<string, unknown>)['type'] ?? 'object')}`
        : '',
    ]
      .filter(Boolean)
      .join('; ');
    const row = { path, type, required: required && req.has(name), rules };
    const nested = p['type'] === 'object' ? fieldsOf(p, path, row.required) : [];
    const items =
      p['type'] === 'array' &&
      (p['items'] as Record<string, unknown> | undefined)?.['type'] === 'object'
        ? fieldsOf(p['items'], `${path}[]`, row.required)
        : [];
    return [row, ...nested, ...items];
  });
}

export function CatalogView() {
  const [entries, setEntries] = useState<CatalogEntry[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    getJson<{ contracts: CatalogEntry[] }>('/_console/api/catalog').then(
      (r) => setEntries(r.contracts),
      (e: Error) => setError(e.message),
    );
  }, []);
  if (error) return html`<p class="error">${error}</p>`;
  if (!entries) return html`<p class="muted">Loading the catalog…</p>`;
  return html`
    <section class="catalog" data-testid="catalog">
      <h2>${entries.length} event contracts</h2>
      <p class="muted">
        From the schema registry and the rules the app deployed; the examples are the latest such
        events on the bus.
      </p>
      ${entries.map(
        (c) => html`
          <details
            class="contract"
            key=${c.schemaName}
            data-testid="contract"
            data-detail-type=${c.detailType}
          >
            <summary>
              <b>${c.detailType}</b>
              <span class="mono muted">${c.source}</span>
              ${c.schemaVersions.map((v) => html`<span class="tag">v${v}</span>`)}
              <span class="muted">${c.description ?? ''}</span>
            </summary>
            <p>
              <b>produced by</b> <span class="mono">${c.producer}</span>;
              <b>consumed by</b>
              ${c.consumers.length === 0 ? 'no rule' : c.consumers.map((r) => html`<span class="mono consumer">${r.stack} (${r.functions.join(', ') || r.rule})${r.replayOnly ? ' — replays only' : ''}</span> `)}
            </p>
            <table class="grid small">
              <thead>
                <tr>
                  <th>field</th>
                  <th>type</th>
                  <th>required</th>
                  <th>rules</th>
                </tr>
              </thead>
              <tbody>
                ${fieldsOf(c.schema).map(
                  (f) =>
                    html`<tr>
                      <td class="mono">${f.path}</td>
                      <td>${f.type}</td>
                      <td>${f.required ? 'yes' : ''}</td>
                      <td class="small">${f.rules}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${
              c.example
                ? html`<details>
                    <summary>example from the bus</summary>
                    <pre>${JSON.stringify(c.example, null, 2)}</pre>
                  </details>`
                : html`<p class="muted small">No such event on the bus yet.</p>`
            }
          </details>
        `,
      )}
    </section>
  `;
}
