import { XtsBridgeError } from "../errors.js";

export class OrderNotFoundError extends XtsBridgeError {
  constructor(orderid: string) {
    super("ORDER_NOT_FOUND", `Order ${orderid} not found`, { details: { orderid } });
  }
}
