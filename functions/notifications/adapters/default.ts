import { documentClient, requireEnv } from '../../../plumbing/aws.js';
import { listNotifications, saveNotification } from './dynamo.js';

/**
 * The ports wired to the service table. Built on first use, not at import, so
 * tests can import a handler's factory without TABLE_NAME set.
 */
function build() {
  const client = documentClient();
  const table = requireEnv('TABLE_NAME');
  return {
    save: saveNotification(client, table),
    list: listNotifications(client, table),
  };
}

let ports: ReturnType<typeof build> | undefined;
export const defaultPorts = () => (ports ??= build());
