/** Checks kept deliveries against an export's callback secret, as the caller's own code would. */
import { Webhook } from 'standardwebhooks';
import type { Delivery } from './server.js';

export interface Verdict {
  readonly webhookId: string;
  readonly verified: boolean;
  /** The verified payload's type and export, or why it was refused. */
  readonly detail: string;
}

export function verifyDeliveries(secret: string, deliveries: readonly Delivery[]): Verdict[] {
  const webhook = new Webhook(secret);
  return deliveries.map((d) => {
    const webhookId = d.headers['webhook-id'] ?? '(no webhook-id header)';
    try {
      const payload = webhook.verify(d.body, d.headers) as {
        type?: string;
        data?: { exportId?: string; status?: string };
      };
      return {
        webhookId,
        verified: true,
        detail:
          `${payload.type ?? '?'} ${payload.data?.exportId ?? ''} ${payload.data?.status ?? ''}`.trim(),
      };
    } catch (error) {
      return { webhookId, verified: false, detail: (error as Error).message };
    }
  });
}
