import { MASTER_SEGMENTS, XTS_SEGMENT_CODES } from "../../xts/segments.js";

/**
 * The `enums` and `exchangeSegmentArray` of an interactive login result. Shape from the public
 * XTS client models (SymphonyAPI loginResponse: enums.exchangeInfo.<SEG>.productType maps
 * "1"→"MIS", "2"→"NRML", "4"→"CNC" and back; exchangeSegmentArray is [{key, value}]).
 */
export function loginEnums(): Record<string, unknown> {
  const cash = { "1": "MIS", "2": "NRML", "4": "CNC", MIS: 1, NRML: 2, CNC: 4 };
  const derivative = { "1": "MIS", "2": "NRML", MIS: 1, NRML: 2 };
  const orderTypes = ["Market", "Limit", "StopLimit", "StopMarket"];
  const exchangeInfo = Object.fromEntries(
    MASTER_SEGMENTS.map((segment) => [
      segment,
      { productType: segment === "NSECM" || segment === "BSECM" ? cash : derivative, orderType: orderTypes, timeInForce: ["DAY"] },
    ]),
  );
  return {
    socketEvent: ["joined", "error", "order", "trade", "position", "logout", "tradeConversion"],
    orderSide: ["BUY", "SELL"],
    orderSource: ["WEBAPI", "TWSAPI", "MOBILEAPI"],
    positionSqureOffMode: ["DayWise", "NetWise"],
    positionSquareOffQuantityType: ["Percentage", "ExactQty"],
    dayOrNet: ["DAY", "NET"],
    instrumentType: ["Futures", "Options", "Spread", "Equity", "Spot", "PreferenceShares", "Debentures", "Warrants", "Miscellaneous", "MutualFund"],
    exchangeSegment: [...MASTER_SEGMENTS],
    exchangeInfo,
  };
}

export function exchangeSegmentArray(): { key: string; value: string }[] {
  return MASTER_SEGMENTS.map((segment) => ({ key: segment, value: String(XTS_SEGMENT_CODES[segment]) }));
}
