/**
 * The secrets S3 checks signatures with. The rest of the local cloud never
 * checks credentials, so it has no secret store; S3 must, for presigned URLs
 * to mean anything, so it knows the few keys the local cloud hands out or
 * documents: `local`/`local` (the SDK clients of tests, the harness, the AWS
 * CLI in the READMEs, and functions without a role), `test`/`test` (the usual
 * emulator default), and every function's role key (`ASIA` + 16 hex digits,
 * from `IamRegistry.registerCaller`), whose secret the runtime sets to `local`.
 * Others can be added; any other key is refused with InvalidAccessKeyId.
 */
export class S3Credentials {
  private readonly secrets = new Map<string, string>([
    ['local', 'local'],
    ['test', 'test'],
  ]);

  /** Lets `accessKeyId` sign with `secretAccessKey` (a test's own key pair). */
  add(accessKeyId: string, secretAccessKey: string): void {
    this.secrets.set(accessKeyId, secretAccessKey);
  }

  secretFor(accessKeyId: string): string | undefined {
    const known = this.secrets.get(accessKeyId);
    if (known !== undefined) return known;
    // A function's key (src/app/lambda/function.ts sets AWS_SECRET_ACCESS_KEY=local).
    return /^ASIA[0-9A-F]{16}$/.test(accessKeyId) ? 'local' : undefined;
  }
}
