import { XtsBridgeError } from "../errors.js";

/** An item of a batch that failed, as the batch reports it: its code and message (a bug is only "unexpected failure"). */
export function describeFailure(error: unknown): { code: string; message: string } {
  if (error instanceof XtsBridgeError) return { code: error.code, message: error.message };
  return { code: "INTERNAL_ERROR", message: "unexpected failure" };
}

export class OrderNotFoundError extends XtsBridgeError {
  constructor(orderid: string) {
    super("ORDER_NOT_FOUND", `Order ${orderid} not found`, { details: { orderid } });
  }
}
