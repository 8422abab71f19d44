import { documentClient, requireEnv } from '#plumbing/aws.js';
import { once } from '#plumbing/lazy.js';
import { listViews, loadView, readPointer, saveView } from './dynamo.js';
import { cachedPointer } from './pointer-cache.js';

/** Every port wired to the service table (TABLE_NAME, set by the CDK stack), built once on first use. */
export const defaultDeps = once(() => {
  const client = documentClient();
  const table = requireEnv('TABLE_NAME');
  const fresh = readPointer(client, table);
  return {
    readPointer: fresh,
    /** The live consumer's: at most one read per POINTER_CACHE_MS per container. */
    readLivePointer: cachedPointer(fresh),
    load: loadView(client, table),
    save: saveView(client, table),
    list: listViews(client, table),
  };
});
