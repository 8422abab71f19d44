import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { grantDecryptPii } from '../constructs/pii.js';
import { consumes } from '../../functions/payments/consumes.js';
import { ServiceStack, type ServiceStackProps } from './service-stack.js';

export interface PaymentsStackProps extends ServiceStackProps {
  /** Base URL of the external payment provider (PAYMENT_PROVIDER_URL). */
  readonly paymentProviderUrl: string;
  /**
   * Name of an existing Secrets Manager secret holding the provider credential.
   * @default - the stack creates one (put the provider's credential in it after the first deploy)
   */
  readonly providerCredentialSecretName?: string;
  /** Timeout of one call to the provider, in ms. @default 2000 */
  readonly paymentProviderTimeoutMs?: number;
  /**
   * Most concurrent charges in flight, so a backlog does not stampede the
   * provider. Capped on the queue's event-source mapping rather than with
   * reserved concurrency, which would take from the account's shared pool.
   * @default 5
   */
  readonly maxConcurrentCharges?: number;
}

/** Payments: charges and refunds through the external provider. */
export class PaymentsStack extends ServiceStack {
  constructor(scope: Construct, id: string, props: PaymentsStackProps) {
    super(scope, id, 'payments', props);
    const table = this.createTable({ outbox: true });

    const credential: ISecret = props.providerCredentialSecretName
      ? Secret.fromSecretNameV2(this, 'ProviderCredential', props.providerCredentialSecretName)
      : this.createProviderCredential();
    new CfnOutput(this, 'ProviderCredentialSecretArn', { value: credential.secretArn });

    const getPayment = this.createFunction('GetPayment', 'get-payment', table);
    table.grantReadItems(getPayment);
    this.route('GetPaymentRoute', HttpMethod.GET, '/payments/{orderId}', getPayment, 'customer');

    const onEvent = this.createFunction('OnEvent', 'on-event', table, {
      // Room for the provider's retries with backoff and a slow answer or two.
      timeout: Duration.seconds(30),
      environment: {
        PAYMENT_PROVIDER_URL: props.paymentProviderUrl,
        PAYMENT_PROVIDER_TIMEOUT_MS: String(props.paymentProviderTimeoutMs ?? 2000),
        PROVIDER_CREDENTIAL_SECRET_ARN: credential.secretArn,
        PII_KEY_ARN: this.piiKey.keyArn,
      },
    });
    table.grantWriteItems(onEvent);
    credential.grantRead(onEvent);
    // The charge sends the customer's payment token to the provider.
    grantDecryptPii(this.piiKey, onEvent, 'paymentToken');
    this.subscribe('Subscription', {
      consumes,
      consumer: onEvent,
      // A charge can take ~8 s when the provider is slow (2 s timeout x retries
      // + backoff): small batches fit in 30 s, and a timeout re-drives few messages.
      batchSize: 3,
      maxConcurrency: props.maxConcurrentCharges ?? 5,
    });

    this.publishOutbox(table);
  }

  /** The secret to fill in with the credential the provider issued. */
  private createProviderCredential(): Secret {
    const secret = new Secret(this.state, 'ProviderCredential', {
      description:
        'payments: the credential payments presents to the payment provider; set it to the value the provider issued',
      removalPolicy: this.removalPolicy,
    });
    Validations.of(secret.node.defaultChild ?? secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The payment provider issues this credential; a new one comes from the provider, so a rotation schedule here could only break charges.',
    });
    return secret;
  }
}
