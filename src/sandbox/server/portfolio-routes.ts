import { clientOf, dealerClientsOf } from "./client-scope.js";
import { badRequest, dataNotAvailable, success, type Reply } from "./envelope.js";
import { balanceResult, holdingsResult, positionRecord, profileResult } from "./portfolio-records.js";
import type { Route, RouteContext } from "./routes.js";

// Jainam's empty-list codes ([LIVE], xts-protocol.md §5.6).
const EMPTY_POSITIONS = "e-portfolio-0005";
const EMPTY_HOLDINGS = "e-holdings-0005";

/**
 * The sandbox has no overnight carry, so DayWise and NetWise list the same positions; the
 * parameter is still required and checked, as XTS does.
 */
function checkDayOrNet(context: RouteContext): void {
  const value = context.query["dayOrNet"];
  if (value !== "DayWise" && value !== "NetWise") {
    throw badRequest("e-portfolio-0001", "dayOrNet", `dayOrNet ${JSON.stringify(value ?? null)} must be DayWise or NetWise`);
  }
}

function positionsFor(context: RouteContext, clientIDs: readonly string[]): Reply {
  const { state } = context;
  const positions = state.portfolio.positionsOf(clientIDs);
  if (positions.length === 0) throw dataNotAvailable(EMPTY_POSITIONS);
  const positionList = positions.map((position, i) => positionRecord(position, state.prices.ltp(position.instrument), i + 1));
  return success("s-portfolio-0001", "Success positions", { positionList });
}

function positions(context: RouteContext): Reply {
  checkDayOrNet(context);
  return positionsFor(context, [clientOf(context)]);
}

function dealerPositions(context: RouteContext): Reply {
  const clients = dealerClientsOf(context);
  checkDayOrNet(context);
  return positionsFor(context, clients);
}

function holdings(context: RouteContext): Reply {
  const clientID = clientOf(context);
  const list = context.state.portfolio.holdingsOf(clientID);
  if (list.length === 0) throw dataNotAvailable(EMPTY_HOLDINGS);
  return success("s-holdings-0001", "Success holdings", holdingsResult(clientID, list));
}

function balance(context: RouteContext): Reply {
  const { engine, portfolio } = context.state;
  const clientID = clientOf(context);
  const summary = portfolio.summary(clientID, engine.openOrdersOf(clientID), (order) => engine.referencePrice(order));
  return success("s-user-0003", "Success balance", balanceResult(clientID, summary));
}

function profile(context: RouteContext): Reply {
  const clientID = clientOf(context);
  return success("s-user-0004", "Success profile", profileResult(context.state.account, clientID));
}

export const PORTFOLIO_ROUTES: readonly Route[] = [
  { method: "GET", path: "/portfolio/positions", auth: "interactive", handler: positions },
  { method: "GET", path: "/portfolio/dealerpositions", auth: "interactive", handler: dealerPositions },
  { method: "GET", path: "/portfolio/holdings", auth: "interactive", handler: holdings },
  { method: "GET", path: "/user/balance", auth: "interactive", handler: balance },
  { method: "GET", path: "/user/profile", auth: "interactive", handler: profile },
];
