import { MASTER_SEGMENTS } from "../../xts/segments.js";
import type { Account } from "./accounts.js";
import { money } from "./margin.js";
import { formatPrice } from "./order-records.js";
import { positionFigures, type AccountSummary, type Holding, type PositionState } from "./portfolio.js";

/**
 * XTS-shaped portfolio records. XTS sends most position and balance numbers as strings
 * (captured position: "BuyAveragePrice": "41.78", "Quantity": "40"), so the sandbox does too.
 * `ExchangeInstrumentId` has a lower-case d: that is the key upstream OpenAlgo reads.
 */
export function positionRecord(position: PositionState, ltp: number, sequence: number): Record<string, unknown> {
  const figures = positionFigures(position, ltp);
  const { instrument } = position;
  const breakEven = figures.net === 0 ? 0 : (position.buyAmount - position.sellAmount) / figures.net;
  return {
    AccountID: position.clientID,
    TradingSymbol: instrument.description,
    ExchangeSegment: instrument.segment,
    ExchangeInstrumentId: String(instrument.token),
    ProductType: position.productType,
    Marketlot: String(instrument.lotSize),
    Multiplier: "1",
    BuyAveragePrice: formatPrice(figures.buyAverage, instrument.tickSize),
    SellAveragePrice: formatPrice(figures.sellAverage, instrument.tickSize),
    OpenBuyQuantity: String(position.buyQuantity),
    OpenSellQuantity: String(position.sellQuantity),
    Quantity: String(figures.net),
    BuyAmount: money(position.buyAmount),
    SellAmount: money(position.sellAmount),
    NetAmount: money(position.sellAmount - position.buyAmount),
    UnrealizedMTM: money(figures.unrealized),
    RealizedMTM: money(figures.realized),
    MTM: money(figures.mtm),
    BEP: money(breakEven),
    SumOfTradedQuantityAndPriceBuy: money(position.buyAmount),
    SumOfTradedQuantityAndPriceSell: money(position.sellAmount),
    MessageCode: 9002,
    MessageVersion: 1,
    TokenID: 0,
    ApplicationType: 0,
    SequenceNumber: sequence,
  };
}

/**
 * `/user/balance` result. The consolidated limits are the `ALL|ALL|ALL` entry; XTS may list
 * per-segment entries before it, such as an all-zero `CASH|NSE|MTF`, so the sandbox does, and a
 * client reading `BalanceList[0]` (as OpenAlgo does, xts-protocol.md §5.4) sees zeros.
 */
export function balanceResult(clientID: string, summary: AccountSummary): Record<string, unknown> {
  const mtm = summary.realized + summary.unrealized;
  return {
    BalanceList: [
      {
        limitHeader: "CASH|NSE|MTF",
        limitObject: {
          RMSSubLimits: { cashAvailable: "0.00", collateral: "0.00", marginUtilized: "0.00", netMarginAvailable: "0.00", MTM: "0.00", UnrealizedMTM: "0.00", RealizedMTM: "0.00" },
          AccountID: clientID,
        },
      },
      {
        limitHeader: "ALL|ALL|ALL",
        limitObject: {
          RMSSubLimits: {
            cashAvailable: money(summary.openingBalance),
            collateral: "0.00",
            marginUtilized: money(summary.marginUtilized),
            netMarginAvailable: money(summary.netMarginAvailable),
            MTM: money(mtm),
            UnrealizedMTM: money(summary.unrealized),
            RealizedMTM: money(summary.realized),
          },
          marginAvailable: {
            CashMarginAvailable: money(summary.openingBalance),
            AdhocMargin: "0.00",
            NotinalCash: "0.00",
            PayInAmount: "0.00",
            PayOutAmount: "0.00",
            CNCSellBenifit: "0.00",
            DirectCollateral: "0.00",
            HoldingCollateral: "0.00",
            ClientBranchAdhoc: "0.00",
            SellOptionsPremium: "0.00",
          },
          marginUtilized: {
            GrossExposureMarginPresent: money(summary.marginUtilized),
            BuyExposureMarginPresent: "0.00",
            SellExposureMarginPresent: "0.00",
            VarELMarginPresent: "0.00",
            ScripBasketMarginPresent: "0.00",
            GrossExposureLimitPresent: "0.00",
            BuyExposureLimitPresent: "0.00",
            SellExposureLimitPresent: "0.00",
            CNCLimitUsed: "0.00",
            CNCAmountUsed: "0.00",
            MarginUsed: money(summary.marginUtilized),
            LimitUsed: "0.00",
            TotalSpanMargin: "0.00",
            ExposureMarginPresent: "0.00",
          },
          limitsAssigned: {
            CNCLimit: "0.00",
            TurnoverLimitPresent: "0.00",
            MTMLossLimitPresent: "0.00",
            BuyExposureLimit: "0.00",
            SellExposureLimit: "0.00",
            GrossExposureLimit: "0.00",
            GrossExposureDerivativesLimit: "0.00",
            BuyExposureFuturesLimit: "0.00",
            BuyExposureOptionsLimit: "0.00",
            SellExposureOptionsLimit: "0.00",
            SellExposureFuturesLimit: "0.00",
          },
          AccountID: clientID,
        },
      },
    ],
  };
}

/** `/portfolio/holdings` result: holdings keyed by ISIN under `RMSHoldings.Holdings` (xts-protocol.md §5.4). */
export function holdingsResult(clientID: string, holdings: readonly Holding[]): Record<string, unknown> {
  const byIsin: Record<string, unknown> = {};
  for (const holding of holdings) {
    byIsin[holding.isin] = {
      ISIN: holding.isin,
      HoldingQuantity: holding.quantity,
      UtilizedQuantity: 0,
      AcquiredDate: "2024-01-01T00:00:00",
      TradedQuantity: 0,
      SoldQuantity: 0,
      BuyAvgPrice: holding.buyAveragePrice,
      ExchangeNSEInstrumentId: holding.instrument.token,
      ExchangeBSEInstrumentId: 0,
      IsNeedToDelete: false,
      HoldingType: 1,
      IsCollateralHolding: false,
    };
  }
  return { RMSHoldings: { ClientId: clientID, Holdings: byIsin } };
}

export function profileResult(account: Account, clientID: string): Record<string, unknown> {
  const segments = MASTER_SEGMENTS;
  return {
    ClientId: clientID,
    ClientName: `Sandbox Client ${clientID}`,
    EmailId: `${clientID.toLowerCase()}@sandbox.invalid`,
    MobileNo: "9999999999",
    PAN: "AAAPZ9999Z",
    DematAccountNumber: "",
    ResidentialAddress: "Loopback, 127.0.0.1",
    ClientBankInfoList: [],
    ClientExchangeDetailsList: Object.fromEntries(
      segments.map((segment) => [segment, { ClientExchange: segment, Enabled: true, Participant: "", RegistrationDate: "", ValidDate: "" }]),
    ),
    IncludeInAutoSquareoff: false,
    IncludeInAutoSquareoffBlocked: false,
    IsProClient: account.dealer,
    IsInvestorClient: !account.dealer,
    BranchId: "SANDBOX",
    IsPasswordChangeRequired: false,
  };
}
