import { CfnOutput, Validations } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { consumes } from '../../functions/shipping/consumes.js';
import { grantDecryptPii } from '../constructs/pii.js';
import { ServiceStack, type ServiceStackProps } from './service-stack.js';

/** Shipping: schedules shipments and follows the carrier's webhooks. */
export class ShippingStack extends ServiceStack {
  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, 'shipping', props);
    const table = this.createTable({ outbox: true });
    // Shared with the carrier out of band; the webhook verifies HMAC signatures with it.
    const webhookSecret = new Secret(this.state, 'CarrierWebhookSecret', {
      description: 'shipping: HMAC key the carrier signs webhook calls with',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: this.removalPolicy,
    });
    Validations.of(webhookSecret.node.defaultChild ?? webhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The carrier holds a copy of this HMAC key, so it is rotated together with the carrier, by hand, never by a schedule it does not know of.',
    });
    new CfnOutput(this, 'CarrierWebhookSecretArn', { value: webhookSecret.secretArn });

    const webhook = this.createFunction('CarrierWebhook', 'carrier-webhook', table, {
      environment: { CARRIER_WEBHOOK_SECRET_ARN: webhookSecret.secretArn },
    });
    table.grantWriteItems(webhook);
    webhookSecret.grantRead(webhook);
    // The address is stored sealed; the customer's own view opens it (docs/adr/0014-data-protection.md).
    const getShipment = this.createFunction('GetShipment', 'get-shipment', table, {
      environment: { PII_KEY_ARN: this.piiKey.keyArn },
    });
    table.grantReadItems(getShipment);
    grantDecryptPii(this.piiKey, getShipment, 'shippingAddress');

    // The carrier has no account in the pool: its calls carry an HMAC signature instead.
    this.route(
      'CarrierWebhookRoute',
      HttpMethod.POST,
      '/shipments/{shipmentId}/events',
      webhook,
      'public',
      'The carrier has no account in the user pool; the handler rejects any call without a valid HMAC signature under the carrier webhook secret.',
    );
    this.route(
      'GetShipmentRoute',
      HttpMethod.GET,
      '/shipments/{shipmentId}',
      getShipment,
      'customer',
    );

    // Scheduling stores the sealed address as it came: this function never opens it.
    const onEvent = this.createFunction('OnEvent', 'on-event', table);
    table.grantWriteItems(onEvent);
    this.subscribe('Subscription', { consumes, consumer: onEvent });

    this.publishOutbox(table);
  }
}
