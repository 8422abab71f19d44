/** A short-lived SDK client on the edge for one resource's calls, destroyed after. */
import type { DeployEnv } from './types.js';

interface Destroyable {
  destroy(): void;
}

export async function withClient<C extends Destroyable, T>(
  env: DeployEnv,
  make: (config: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  }) => C,
  use: (client: C) => Promise<T>,
): Promise<T> {
  const client = make({
    endpoint: env.endpoint,
    region: env.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}
