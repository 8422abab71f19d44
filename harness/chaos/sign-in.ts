/**
 * Sign-in for a chaos run against a shop already running (`--endpoint`): the
 * demo users signed in through Cognito on its edge, as `npm run token` does,
 * to Shop-Identity's pool (its stack's outputs).
 */
import { demoSignIn, type SignIn } from '../shop/sign-in.js';
import { findUserPool } from '../shop/users.js';
import type { CloudSide } from './cloud.js';

export async function signInTo(cloud: CloudSide): Promise<SignIn> {
  const pool = await findUserPool({
    endpoint: cloud.endpoint,
    region: cloud.info.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return demoSignIn(cloud.endpoint, cloud.info.region, pool);
}
