import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { consumes } from '../../functions/inventory/consumes.js';
import { ServiceStack, type ServiceStackProps } from './service-stack.js';

/** Inventory: the catalog and its prices, and stock reserved or released per order. */
export class InventoryStack extends ServiceStack {
  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, 'inventory', props);
    const table = this.createTable({ outbox: true });

    const putProduct = this.createFunction('PutProduct', 'put-product', table);
    table.grantWriteItems(putProduct);
    const restock = this.createFunction('Restock', 'restock', table);
    table.grantWriteItems(restock);
    const getProduct = this.createFunction('GetProduct', 'get-product', table);
    table.grantReadItems(getProduct);

    // The catalog is read by anyone; only operators change it.
    this.route('PutProductRoute', HttpMethod.PUT, '/products/{sku}', putProduct, 'operator');
    this.route('RestockRoute', HttpMethod.POST, '/products/{sku}/restock', restock, 'operator');
    this.route(
      'GetProductRoute',
      HttpMethod.GET,
      '/products/{sku}',
      getProduct,
      'public',
      'The catalog (names, prices, stock) is read by anyone before signing in, and the route only reads.',
    );

    const onEvent = this.createFunction('OnEvent', 'on-event', table);
    table.grantWriteItems(onEvent);
    this.subscribe('Subscription', { consumes, consumer: onEvent });

    this.publishOutbox(table);
  }
}
