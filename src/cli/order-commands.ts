import type { Command } from "commander";
import type { Config } from "../config.js";
import { ValidationError } from "../errors.js";
import type { ModifyRequest, OrderRequest } from "../orders/openalgo-types.js";
import { RequestIds } from "../orders/order-tag.js";
import type { CliIo } from "./io.js";
import { json, table } from "./format.js";
import { withGateway } from "./master-commands.js";

interface OrderFlags {
  symbol: string;
  exchange: string;
  action: string;
  quantity: string;
  product?: string;
  pricetype?: string;
  price?: string;
  triggerPrice?: string;
  disclosedQuantity?: string;
  dryRun?: boolean;
  json?: boolean;
  db?: string;
  broker?: string;
}

/** CLI flags go through the API's own schemas, so both reject the same input with the same words. */
async function parseFlags(kind: "place", flags: Record<string, unknown>): Promise<OrderRequest>;
async function parseFlags(kind: "modify", flags: Record<string, unknown>): Promise<ModifyRequest>;
async function parseFlags(kind: "place" | "modify", flags: Record<string, unknown>): Promise<OrderRequest | ModifyRequest> {
  const [{ modifyOrderSchema, placeOrderSchema }, { describeIssues }] = await Promise.all([import("../api/schemas.js"), import("../api/schema-helpers.js")]);
  const schema = kind === "place" ? placeOrderSchema : modifyOrderSchema;
  const result = schema.safeParse(Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)));
  if (!result.success) {
    const { message, errors } = describeIssues(result.error);
    throw new ValidationError(Object.keys(errors)[0] ?? "order", message.replace(/\btrigger_price\b/g, "--trigger-price"), { errors });
  }
  return result.data;
}

const CLI_KEYS = { apikey: "cli", strategy: "cli" } as const;

function orderFields(o: OrderFlags): Record<string, unknown> {
  return {
    ...CLI_KEYS,
    symbol: o.symbol,
    exchange: o.exchange,
    action: o.action,
    quantity: o.quantity,
    product: o.product,
    pricetype: o.pricetype,
    price: o.price,
    trigger_price: o.triggerPrice,
    disclosed_quantity: o.disclosedQuantity,
  };
}

function withOrderFlags(c: Command, required: boolean): Command {
  const opt = (flags: string, description: string): Command => (required ? c.requiredOption(flags, description) : c.option(flags, description));
  opt("-s, --symbol <symbol>", "OpenAlgo symbol, e.g. SBIN or NIFTY28MAR2420800CE");
  opt("-e, --exchange <exchange>", "NSE, BSE, NFO, BFO, CDS or MCX");
  opt("-a, --action <action>", "BUY or SELL");
  opt("-q, --quantity <n>", "units (a multiple of the lot size)");
  return c
    .option("--product <product>", "MIS, NRML or CNC (default MIS)")
    .option("--pricetype <type>", "MARKET, LIMIT, SL or SL-M (default MARKET)")
    .option("--price <price>", "limit price (LIMIT, SL)")
    .option("--trigger-price <price>", "trigger price (SL, SL-M)")
    .option("--disclosed-quantity <n>", "disclosed quantity")
    .option("--json", "print JSON");
}

export function addOrderCommands(program: Command, io: CliIo, config: () => Config, common: (c: Command) => Command): void {
  const order = program.command("order").description("place, modify and cancel orders; the order book (needs JAINAM_* settings)");

  common(withOrderFlags(order.command("place").description("place an order (prints the order id)"), true))
    .option("--dry-run", "validate and print the exact XTS payload as JSON without sending it")
    .addHelpText("after", "\nExample: xtsbridge order place -s SBIN -e NSE -a BUY -q 1 --pricetype LIMIT --price 812.5 --dry-run")
    .action(async (o: OrderFlags) => {
      const request = await parseFlags("place", orderFields(o));
      const requestId = new RequestIds().next();
      if (o.dryRun === true) {
        const base = config();
        const [{ openStore }, { Resolver }, { OrderService }, { silentLogger }] = await Promise.all([
          import("../store/open-store.js"),
          import("../resolver/resolver.js"),
          import("../orders/order-service.js"),
          import("../logger.js"),
        ]);
        const store = await openStore(o.db ?? base.databaseUrl);
        try {
          const resolver = new Resolver(store, o.broker ?? base.broker, silentLogger());
          await resolver.load();
          const payload = new OrderService({} as never, resolver, silentLogger()).preview(request, requestId);
          io.out(json(payload));
        } finally {
          await store.close();
        }
        return;
      }
      const placed = await withGateway(config(), io, o, (gw) => gw.orders.placeOrder(request, requestId));
      io.out(o.json ? json(placed) : `order placed: orderid ${placed.orderid} (tag ${placed.orderUniqueIdentifier}${placed.reconciled ? ", confirmed from the order book" : ""})\n`);
    });

  common(withOrderFlags(order.command("modify").description("modify an open order: give every field, as OpenAlgo's modifyorder does"), true))
    .argument("<orderid>", "the order id")
    .action(async (orderid: string, o: OrderFlags) => {
      const request = await parseFlags("modify", { ...orderFields(o), orderid, product: o.product ?? "MIS", pricetype: o.pricetype ?? "MARKET", price: o.price ?? 0, trigger_price: o.triggerPrice ?? 0, disclosed_quantity: o.disclosedQuantity ?? 0 });
      const result = await withGateway(config(), io, o, (gw) => gw.orders.modifyOrder(request, new RequestIds().next()));
      io.out(o.json ? json(result) : `order ${result.orderid} modified\n`);
    });

  common(order.command("cancel").description("cancel an order").argument("<orderid>", "the order id").option("--json", "print JSON")).action(
    async (orderid: string, o: { json?: boolean; db?: string; broker?: string }) => {
      const result = await withGateway(config(), io, o, (gw) => gw.orders.cancelOrder(orderid, new RequestIds().next()));
      io.out(o.json ? json(result) : `order ${result.orderid} cancelled\n`);
    },
  );

  common(order.command("book").description("the order book in OpenAlgo's shape").option("--json", "print JSON")).action(async (o: { json?: boolean; db?: string; broker?: string }) => {
    const book = await withGateway(config(), io, o, (gw) => gw.orders.orderBook());
    if (o.json) return io.out(json(book));
    io.out(
      table(
        ["orderid", "symbol", "exchange", "action", "quantity", "pricetype", "price", "trigger", "product", "order_status", "timestamp"],
        book.orders.map((r) => [r.orderid, r.symbol, r.exchange, r.action, r.quantity, r.pricetype, r.price, r.trigger_price, r.product, r.order_status, r.timestamp]),
      ),
    );
  });

  common(program.command("positions").description("open positions (NetWise) in OpenAlgo's shape").option("--json", "print JSON")).action(async (o: { json?: boolean; db?: string; broker?: string }) => {
    const positions = await withGateway(config(), io, o, (gw) => gw.orders.positionBook());
    if (o.json) return io.out(json(positions));
    io.out(table(["symbol", "exchange", "product", "quantity", "average_price", "pnl"], positions.map((p) => [p.symbol, p.exchange, p.product, p.quantity, p.average_price, p.pnl])));
  });
}
