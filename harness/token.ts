/**
 * npm run -s token -- --user <name> [--id-token] [--endpoint-url <url>]
 * npm run -s token -- --user <name> --profile <profile> [--region <region>]
 *
 * Prints one line: a bearer token for the HTTP API. Locally (the default) it
 * signs in a demo user of the running shop with its demo password; with
 * --profile or --region it signs in to the deployed pool (Shop-Identity's
 * outputs) with a password read from stdin, not echoed. The access token is
 * printed (the authorizer's audience, the client id, is its client_id); with
 * --id-token the id token (whose aud is the client id) instead.
 */
import { parseArgs } from 'node:util';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DEMO_USERS, findUserPool, signInName } from './shop/users.js';

const USAGE = `usage: npm run -s token -- --user <name> [--id-token] [--endpoint-url http://127.0.0.1:4566]
       npm run -s token -- --user <name> --profile <profile> [--region <region>]   (deployed; password on stdin)`;

class CliError extends Error {}

async function main(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      user: { type: 'string' },
      'endpoint-url': { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string' },
      'id-token': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new CliError(USAGE);
  if (!values.user) throw new CliError(`--user is required.\n${USAGE}`);
  const deployed = values.profile !== undefined || values.region !== undefined;
  const region = values.region ?? process.env['AWS_REGION'] ?? 'us-east-1';
  const endpoint = deployed ? undefined : (values['endpoint-url'] ?? 'http://127.0.0.1:4566');
  const config = {
    region,
    ...(endpoint
      ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : { profile: values.profile }),
  };
  const cognito = new CognitoIdentityProviderClient(config);
  try {
    const pool = await findPool(config, endpoint);
    let username = values.user;
    let password: string;
    if (deployed) {
      password = await readPassword(`Password for ${values.user}: `);
    } else {
      const demo = DEMO_USERS.find((u) => u.name === values.user);
      if (!demo)
        throw new CliError(
          `'${values.user}' is not a demo user of the local shop; the demo users are ${DEMO_USERS.map((u) => u.name).join(', ')}.`,
        );
      username = await signInName(cognito, pool.userPoolId, demo);
      password = demo.password;
    }
    const { AuthenticationResult, ChallengeName } = await cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    if (!AuthenticationResult)
      throw new CliError(
        `Sign-in of ${username} needs the ${ChallengeName ?? 'unknown'} challenge first (e.g. a new password); complete it in the app, then retry.`,
      );
    const token = values['id-token']
      ? AuthenticationResult.IdToken
      : AuthenticationResult.AccessToken;
    return token!;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const err = e as Error;
    if (
      /ECONNREFUSED|fetch failed/.test(
        `${err.message} ${String((err as { cause?: unknown }).cause)}`,
      )
    )
      throw new CliError(
        `Nothing answers at ${endpoint}: start the local shop with \`npm start\` (or give --endpoint-url).`,
      );
    throw new CliError(`${err.name}: ${err.message}`);
  } finally {
    cognito.destroy();
  }
}

/** Shop-Identity's pool, or an error that says where the command looked. */
async function findPool(config: Record<string, unknown>, endpoint: string | undefined) {
  try {
    return await findUserPool(config);
  } catch (e) {
    const where = endpoint
      ? `the local shop at ${endpoint} (is \`npm start\` running? else give --endpoint-url)`
      : 'the deployed shop (check --profile/--region and that the shop is deployed)';
    throw new CliError(`Could not find the user pool of ${where}: ${(e as Error).message}`);
  }
}

/** A line from stdin; on a terminal, without echoing it. */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) data += String(chunk);
    process.stderr.write('\n');
    return data.split(/\r?\n/)[0] ?? '';
  }
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') {
          done();
          return resolve(value);
        }
        if (c === '\u0003') {
          done();
          return reject(new CliError('Cancelled.'));
        }
        if (c === '\u007f') value = value.slice(0, -1);
        else value += c;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

main(process.argv.slice(2)).then(
  (token) => process.stdout.write(`${token}\n`),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
