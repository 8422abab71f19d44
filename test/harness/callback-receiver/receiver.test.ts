import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startCallbackReceiver,
  type CallbackReceiver,
} from '../../../harness/callback-receiver/server.js';
import { verifyDeliveries } from '../../../harness/callback-receiver/verify.js';

const SECRET = `whsec_${Buffer.from('a local test secret, 24+ bytes').toString('base64')}`;
let receiver: CallbackReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function post(url: string, id: string, body: string, secret = SECRET) {
  const at = new Date();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
    },
    body,
  });
  return res.status;
}

describe('the local callback receiver', () => {
  it('answers 500 to the first N deliveries, then 204, keeping each as received', async () => {
    receiver = await startCallbackReceiver({ failFirst: 1 });
    const body = JSON.stringify({ type: 'export.succeeded', data: { exportId: 'exp_1' } });
    expect(await post(receiver.url, 'msg_1', body)).toBe(500);
    expect(await post(receiver.url, 'msg_1', body)).toBe(204);
    expect(receiver.deliveries.map((d) => [d.headers['webhook-id'], d.status, d.body])).toEqual([
      ['msg_1', 500, body],
      ['msg_1', 204, body],
    ]);
    const listed = (await (await fetch(new URL('/_deliveries', receiver.url))).json()) as {
      deliveries: unknown[];
    };
    expect(listed.deliveries).toHaveLength(2);
  });

  it("verifies a delivery signed with the export's secret and refuses another secret or a changed body", async () => {
    receiver = await startCallbackReceiver({});
    const body = JSON.stringify({
      type: 'export.succeeded',
      data: { exportId: 'exp_2', status: 'SUCCEEDED' },
    });
    await post(receiver.url, 'msg_good', body);
    await post(
      receiver.url,
      'msg_other',
      body,
      `whsec_${Buffer.from('another secret of 24 bytes').toString('base64')}`,
    );
    const [good, other] = verifyDeliveries(SECRET, receiver.deliveries);
    expect(good).toEqual({
      webhookId: 'msg_good',
      verified: true,
      detail: 'export.succeeded exp_2 SUCCEEDED',
    });
    expect(other).toMatchObject({ webhookId: 'msg_other', verified: false });
    const tampered = { ...receiver.deliveries[0]!, body: body.replace('exp_2', 'exp_3') };
    expect(verifyDeliveries(SECRET, [tampered])[0]).toMatchObject({ verified: false });
  });

  it('refuses what is not a POST with a message naming what it takes', async () => {
    receiver = await startCallbackReceiver({});
    const res = await fetch(receiver.url, { method: 'PUT', body: 'x' });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({
      message: 'This receiver takes POSTs (and GET /_deliveries); received PUT.',
    });
  });
});
