/** SDK client settings for the local cloud: any credentials work, and no retry hides a failure. */
export function clientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  };
}
