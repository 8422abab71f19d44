/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy --all`.
 *
 * Configuration comes from CDK context, e.g.
 *   npx cdk deploy --all -c paymentProviderUrl=https://provider.example -c removalPolicy=destroy
 * Keys (see ShopConfig in shop.ts): paymentProviderUrl (default https://payments.invalid,
 * with a warning), removalPolicy (retain | destroy), logLevel, archiveRetentionDays,
 * alarmEmail (an address subscribed to the alarm topic).
 */
import { App } from 'aws-cdk-lib';
import { buildShop } from './shop.js';

const app = new App();
buildShop(app, undefined, {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});
app.synth();
