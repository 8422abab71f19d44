/** A carrier update that cannot apply; the webhook answers 409 with this reason. */
export class ShipmentRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShipmentRejection';
  }
}
