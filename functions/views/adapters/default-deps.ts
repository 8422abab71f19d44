import { documentClient, requireEnv } from '#plumbing/aws.js';
import { once } from '#plumbing/lazy.js';
import { listViews, loadView, readPointer, saveView } from './dynamo.js';

/** Every port wired to the service table (TABLE_NAME, set by the CDK stack), built once on first use. */
export const defaultDeps = once(() => {
  const client = documentClient();
  const table = requireEnv('TABLE_NAME');
  return {
    readPointer: readPointer(client, table),
    load: loadView(client, table),
    save: saveView(client, table),
    list: listViews(client, table),
  };
});
