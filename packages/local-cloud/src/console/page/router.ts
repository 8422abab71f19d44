import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { view: 'events' }
  | { view: 'journey'; id: string }
  | { view: 'queues' }
  | { view: 'catalog' }
  | { view: 'faults' };

export const journeyHref = (id: string) => `#/journey/${encodeURIComponent(id)}`;

function parse(hash: string): Route {
  const [, view, id] = hash.replace(/^#/, '').split('/');
  if (view === 'journey' && id) return { view: 'journey', id: decodeURIComponent(id) };
  if (view === 'queues' || view === 'catalog' || view === 'faults') return { view };
  return { view: 'events' };
}

/** The view is in the URL's hash, so a journey can be linked and reloaded. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const on = () => setRoute(parse(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
