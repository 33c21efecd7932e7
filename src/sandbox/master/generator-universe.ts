/**
 * Static tables the synthetic master is drawn from: underlyings with their contract specs,
 * index lists with the OpenAlgo symbols they must get, and name parts for synthetic stocks.
 * Prices are round late-2025 levels; they only have to be plausible.
 */

export interface IndexUnderlying {
  /** XTS Name and OpenAlgo root (`NIFTY`, `SENSEX50`). */
  readonly name: string;
  /** UnderlyingIndexName as XTS sends it (`Nifty 50`, `SNSX50`). */
  readonly underlyingName: string;
  readonly spot: number;
  readonly lotSize: number;
  readonly freezeQty: number;
  /** Strike interval in rupees. */
  readonly strikeStep: number;
  readonly weekly: boolean;
  /** Relative width of its strike ladders against a stock's. */
  readonly weight: number;
}

/** NSE index derivatives; only NIFTY keeps weekly expiries (every Tuesday). */
export const NSE_INDEX_UNDERLYINGS: readonly IndexUnderlying[] = [
  { name: "NIFTY", underlyingName: "Nifty 50", spot: 26_000, lotSize: 75, freezeQty: 1801, strikeStep: 50, weekly: true, weight: 5 },
  { name: "BANKNIFTY", underlyingName: "Nifty Bank", spot: 59_000, lotSize: 35, freezeQty: 901, strikeStep: 100, weekly: false, weight: 4 },
  { name: "FINNIFTY", underlyingName: "Nifty Fin Service", spot: 27_600, lotSize: 65, freezeQty: 1801, strikeStep: 50, weekly: false, weight: 2 },
  { name: "MIDCPNIFTY", underlyingName: "NIFTY MID SELECT", spot: 13_600, lotSize: 140, freezeQty: 2801, strikeStep: 25, weekly: false, weight: 2 },
  { name: "NIFTYNXT50", underlyingName: "NIFTY NEXT 50", spot: 69_000, lotSize: 25, freezeQty: 601, strikeStep: 100, weekly: false, weight: 1.5 },
];

/** BSE index derivatives; SENSEX keeps weekly expiries (every Thursday). SENSEX50's underlying is the short code SNSX50. */
export const BSE_INDEX_UNDERLYINGS: readonly IndexUnderlying[] = [
  { name: "SENSEX", underlyingName: "SENSEX", spot: 85_000, lotSize: 20, freezeQty: 1000, strikeStep: 100, weekly: true, weight: 5 },
  { name: "BANKEX", underlyingName: "BANKEX", spot: 65_000, lotSize: 30, freezeQty: 900, strikeStep: 100, weekly: false, weight: 2 },
  { name: "SENSEX50", underlyingName: "SNSX50", spot: 27_000, lotSize: 60, freezeQty: 1800, strikeStep: 50, weekly: false, weight: 1.5 },
];

/** F&O stocks: name, price, lot. `M&M` and `BAJAJ-AUTO` keep their `&` and `-` in every symbol. */
export const FNO_STOCKS: readonly (readonly [string, number, number])[] = [
  ["RELIANCE", 1500, 500], ["TCS", 3100, 175], ["HDFCBANK", 1000, 550], ["INFY", 1550, 400], ["ICICIBANK", 1400, 700],
  ["SBIN", 950, 750], ["BHARTIARTL", 2100, 475], ["ITC", 410, 1600], ["LT", 4000, 175], ["KOTAKBANK", 2100, 400],
  ["AXISBANK", 1250, 625], ["HINDUNILVR", 2450, 300], ["BAJFINANCE", 1000, 750], ["MARUTI", 16000, 50], ["M&M", 3700, 200],
  ["BAJAJ-AUTO", 9000, 75], ["SUNPHARMA", 1750, 350], ["TITAN", 3800, 175], ["ULTRACEMCO", 12000, 50], ["ASIANPAINT", 2900, 250],
  ["NESTLEIND", 1250, 500], ["WIPRO", 245, 3000], ["HCLTECH", 1600, 350], ["TECHM", 1450, 600], ["POWERGRID", 270, 1900],
  ["NTPC", 330, 1500], ["ONGC", 245, 2250], ["COALINDIA", 380, 1350], ["TATASTEEL", 170, 5500], ["JSWSTEEL", 1150, 675],
  ["HINDALCO", 800, 1400], ["ADANIENT", 2400, 300], ["ADANIPORTS", 1450, 475], ["GRASIM", 2800, 250], ["CIPLA", 1550, 375],
  ["DRREDDY", 1250, 625], ["DIVISLAB", 6500, 100], ["EICHERMOT", 7000, 175], ["HEROMOTOCO", 5500, 150], ["BRITANNIA", 5900, 125],
  ["TATACONSUM", 1150, 550], ["APOLLOHOSP", 7500, 125], ["BPCL", 350, 1975], ["IOC", 160, 4875], ["GAIL", 180, 3150],
  ["VEDL", 500, 1150], ["NATIONALUM", 240, 3750], ["SAIL", 130, 4700], ["BANKBARODA", 280, 2925], ["PNB", 120, 8000],
  ["CANBK", 150, 6750], ["IDFCFIRSTB", 80, 9275], ["INDUSINDBK", 800, 700], ["FEDERALBNK", 240, 5000], ["AUBANK", 850, 1000],
  ["BANDHANBNK", 160, 3600], ["LICHSGFIN", 570, 1000], ["SHRIRAMFIN", 800, 825], ["CHOLAFIN", 1650, 625], ["MUTHOOTFIN", 3700, 275],
  ["PFC", 380, 1300], ["RECLTD", 360, 1275], ["IRFC", 120, 4250], ["HAL", 4600, 150], ["BEL", 410, 1425],
  ["BHEL", 260, 2625], ["DLF", 750, 825], ["GODREJPROP", 2200, 275], ["OBEROIRLTY", 1700, 350], ["LODHA", 1200, 450],
  ["INDIGO", 5700, 150], ["TATAPOWER", 390, 1450], ["ADANIGREEN", 1000, 600], ["JINDALSTEL", 1000, 625], ["TMPV", 400, 800],
  ["ASHOKLEY", 150, 5000], ["TVSMOTOR", 3500, 175], ["BOSCHLTD", 37000, 25], ["MOTHERSON", 110, 6150], ["DABUR", 520, 1250],
  ["MARICO", 720, 1200], ["COLPAL", 2200, 225], ["GODREJCP", 1150, 500], ["PIDILITIND", 1500, 500], ["HAVELLS", 1500, 500],
  ["VOLTAS", 1400, 375], ["SIEMENS", 3200, 125], ["ABB", 5200, 125], ["CUMMINSIND", 4200, 200], ["POLYCAB", 7500, 125],
  ["DIXON", 15000, 50], ["PERSISTENT", 6000, 100], ["COFORGE", 1800, 375], ["LTIM", 5800, 150], ["MPHASIS", 2800, 275],
  ["OFSS", 8500, 75], ["NAUKRI", 1400, 375], ["ETERNAL", 300, 2425], ["PAYTM", 1250, 725], ["POLICYBZR", 1800, 350],
  ["IRCTC", 720, 875], ["IDEA", 10, 71475], ["YESBANK", 22, 31100], ["SUZLON", 60, 8000], ["NHPC", 80, 6400],
  ["BIOCON", 370, 2500], ["LUPIN", 2000, 425], ["AUROPHARMA", 1200, 550], ["TORNTPHARM", 3600, 250], ["ZYDUSLIFE", 950, 900],
  ["MANKIND", 2400, 225], ["MAXHEALTH", 1100, 525], ["INDHOTEL", 750, 1000], ["TRENT", 4500, 100], ["DMART", 4200, 150],
  ["PAGEIND", 42000, 15], ["SRF", 3000, 200], ["PIIND", 3600, 175], ["UPL", 700, 1355], ["CHAMBLFERT", 500, 950],
  ["CDSL", 1600, 475], ["BSE", 2700, 375], ["MCX", 9000, 125], ["ANGELONE", 2500, 250], ["HDFCLIFE", 770, 1100],
  ["SBILIFE", 1950, 375], ["ICICIPRULI", 640, 925], ["ICICIGI", 2000, 325], ["HDFCAMC", 5500, 150], ["JIOFIN", 310, 2350],
  ["KALYANKJIL", 500, 1175], ["CGPOWER", 680, 850], ["TIINDIA", 3000, 200], ["SONACOMS", 480, 1050], ["EXIDEIND", 380, 1800],
  ["AMBUJACEM", 560, 1050], ["SHREECEM", 27000, 25], ["DALBHARAT", 2200, 325], ["PETRONET", 290, 1800], ["HINDPETRO", 450, 2025],
  ["OIL", 420, 1400], ["NMDC", 75, 6750], ["HINDZINC", 480, 1225], ["BERGEPAINT", 540, 1100], ["GUJGASLTD", 430, 1250],
];

/** Stocks with BSE derivatives (Series SF/SO); the sample shows only index F&O on BSE, so these stay few. */
export const BSE_FNO_STOCKS: readonly string[] = ["RELIANCE", "HDFCBANK", "ICICIBANK", "INFY", "TCS", "SBIN", "ITC", "LT"];

export interface IndexListEntry {
  /** Name as the index list spells it. */
  readonly name: string;
  readonly token: number;
  /** OpenAlgo NSE_INDEX symbol it must get (src/instruments/index-names.ts). */
  readonly symbol: string;
  readonly level: number;
  /** Kept even in the smallest masters. */
  readonly core: boolean;
}

function nseIndex(name: string, token: number, symbol: string, level: number, core = false): IndexListEntry {
  return { name, token, symbol, level, core };
}

/** GET /instruments/indexlist?exchangeSegment=1, as `NAME_TOKEN`. */
export const NSE_INDEX_LIST: readonly IndexListEntry[] = [
  nseIndex("NIFTY 50", 26000, "NIFTY", 26000, true),
  nseIndex("NIFTY BANK", 26001, "BANKNIFTY", 59000, true),
  nseIndex("INDIA VIX", 26002, "INDIAVIX", 12.35, true),
  nseIndex("NIFTY IT", 26003, "NIFTYIT", 37000, true),
  nseIndex("NIFTY 100", 26004, "NIFTY100", 26800, true),
  nseIndex("NIFTY MIDCAP 50", 26005, "NIFTYMIDCAP50", 16800),
  nseIndex("NIFTY GS 11 15YR", 26006, "NIFTYGS1115YR", 3100),
  nseIndex("NIFTY INFRA", 26007, "NIFTYINFRA", 9600),
  nseIndex("NIFTY100 LIQ 15", 26008, "NIFTY100LIQ15", 7200),
  nseIndex("NIFTY REALTY", 26009, "NIFTYREALTY", 920),
  nseIndex("NIFTY CPSE", 26010, "NIFTYCPSE", 6600),
  nseIndex("NIFTY GS 4 8YR", 26011, "NIFTYGS48YR", 3300),
  nseIndex("NIFTY ENERGY", 26012, "NIFTYENERGY", 36000),
  nseIndex("NIFTY PSE", 26013, "NIFTYPSE", 10100),
  nseIndex("NIFTY FMCG", 26014, "NIFTYFMCG", 55500),
  nseIndex("NIFTY MNC", 26015, "NIFTYMNC", 30500),
  nseIndex("NIFTY PHARMA", 26016, "NIFTYPHARMA", 22800),
  nseIndex("NIFTY PSU BANK", 26017, "NIFTYPSUBANK", 8300),
  nseIndex("NIFTY SERV SECTOR", 26018, "NIFTYSERVSECTOR", 34500),
  nseIndex("NIFTY MEDIA", 26019, "NIFTYMEDIA", 1500),
  nseIndex("NIFTY METAL", 26020, "NIFTYMETAL", 10400),
  nseIndex("NIFTY AUTO", 26021, "NIFTYAUTO", 27500),
  nseIndex("NIFTY COMMODITIES", 26022, "NIFTYCOMMODITIES", 9300),
  nseIndex("NIFTY CONSUMPTION", 26023, "NIFTYCONSUMPTION", 12400),
  nseIndex("NIFTY DIV OPPS 50", 26024, "NIFTYDIVOPPS50", 6700),
  nseIndex("NIFTY GROWSECT 15", 26025, "NIFTYGROWSECT15", 12900),
  nseIndex("NIFTY50 VALUE 20", 26026, "NIFTY50VALUE20", 13600),
  nseIndex("NIFTY50 EQL WGT", 26027, "NIFTY50EQLWGT", 33500),
  nseIndex("NIFTY100 EQL WGT", 26028, "NIFTY100EQLWGT", 33400),
  nseIndex("NIFTY100 LOWVOL30", 26029, "NIFTY100LOWVOL30", 21000),
  nseIndex("NIFTY ALPHA 50", 26030, "NIFTYALPHA50", 51000),
  nseIndex("NIFTY 200", 26031, "NIFTY200", 14500),
  nseIndex("NIFTY 500", 26032, "NIFTY500", 23900),
  nseIndex("NIFTY MIDCAP 100", 26033, "NIFTYMIDCAP100", 61000),
  nseIndex("NIFTY FIN SERVICE", 26034, "FINNIFTY", 27600, true),
  nseIndex("NIFTY SMLCAP 100", 26035, "NIFTYSMLCAP100", 18200),
  nseIndex("NIFTY PVT BANK", 26036, "NIFTYPVTBANK", 28400),
  nseIndex("NIFTY GS 10YR", 26038, "NIFTYGS10YR", 2700),
  nseIndex("NIFTY GS COMPSITE", 26041, "NIFTYGSCOMPSITE", 3000),
  nseIndex("HANGSENG BEES-NAV", 26044, "HANGSENGBEESNAV", 480),
  nseIndex("NIFTY MIDCAP 150", 26045, "NIFTYMIDCAP150", 22500),
  nseIndex("NIFTY SMLCAP 250", 26047, "NIFTYSMLCAP250", 17100),
  nseIndex("NIFTY MIDSML 400", 26048, "NIFTYMIDSML400", 20800),
  nseIndex("NIFTY200 QUALTY30", 26049, "NIFTY200QUALTY30", 21500),
  nseIndex("NIFTY HEALTHCARE", 26052, "NIFTYHEALTHCARE", 14700),
  nseIndex("NIFTY CONSR DURBL", 26053, "NIFTYCONSRDURBL", 38000),
  nseIndex("NIFTY NEXT 50", 26054, "NIFTYNXT50", 69000, true),
  nseIndex("NIFTY OIL AND GAS", 26055, "NIFTYOILANDGAS", 11900),
  nseIndex("NIFTY MICROCAP250", 26056, "NIFTYMICROCAP250", 23500),
  nseIndex("NIFTY IND DIGITAL", 26057, "NIFTYINDDIGITAL", 9100),
  nseIndex("NIFTY TOTAL MKT", 26058, "NIFTYTOTALMKT", 14200),
  nseIndex("NIFTY INDIA MFG", 26059, "NIFTYINDIAMFG", 14300),
  nseIndex("NIFTY MID SELECT", 26121, "MIDCPNIFTY", 13600, true),
];

export interface BseSpotIndex {
  /** BSECM Name of the SPOT row, a BSE short code. */
  readonly code: string;
  readonly token: number;
  /** OpenAlgo BSE_INDEX symbol (mapped long name, or the code without spaces and hyphens). */
  readonly symbol: string;
  readonly level: number;
  /** Also served by GET /instruments/indexlist?exchangeSegment=11, with the same token. */
  readonly listed: boolean;
}

function bse(code: string, token: number, symbol: string, level: number, listed = false): BseSpotIndex {
  return { code, token, symbol, level, listed };
}

/** The 63 BSECM SPOT rows of the real sample, with their real tokens. */
export const BSE_SPOT_INDICES: readonly BseSpotIndex[] = [
  bse("SENSEX", 26065, "SENSEX", 85000, true), bse("BASMTR", 26066, "BASMTR", 7600), bse("SNSX50", 26067, "SENSEX50", 27000, true),
  bse("TELCOM", 26068, "BSETELECOM", 3400), bse("100", 26069, "100", 8100), bse("BSE500", 26070, "BSE500", 37500, true),
  bse("BSE100", 26071, "BSE100", 27200, true), bse("BSE HC", 26072, "BSEHEALTHCARE", 44800, true), bse("MID150", 26073, "BSE150MIDCAPINDEX", 16900),
  bse("BSE IT", 26074, "BSEINFORMATIONTECHNOLOGY", 36500, true), bse("LMI250", 26075, "BSE250LARGEMIDCAPINDEX", 11300),
  bse("ESG100", 26076, "ESG100", 430), bse("BSELVI", 26077, "BSELVI", 2000), bse("UTILS", 26078, "UTILS", 5300),
  bse("MIDSEL", 26079, "BSEMIDCAPSELECTINDEX", 17400), bse("MSL400", 26080, "BSE400MIDSMALLCAPINDEX", 12000), bse("CDGS", 26081, "CDGS", 1500),
  bse("SMEIPO", 26082, "BSESMEIPO", 103000), bse("BHRT22", 26083, "BHRT22", 10500), bse("INDSTR", 26084, "BSEINDUSTRIALS", 15300),
  bse("POWER", 26085, "BSEPOWER", 6900, true), bse("BSEPBI", 26086, "BSEPSU", 20400), bse("DOL100", 26087, "BSEDOLLEX100", 3900),
  bse("MIDCAP", 26088, "BSEMIDCAP", 47300, true), bse("REALTY", 26089, "BSEREALTY", 7400, true), bse("ENERGY", 26090, "BSEENERGY", 11800, true),
  bse("LRGCAP", 26091, "BSELARGECAP", 10100), bse("SML250", 26092, "SML250", 6800), bse("BSE200", 26093, "BSE200", 11800, true),
  bse("AUTO", 26094, "BSEAUTO", 61000, true), bse("BSEEVI", 26095, "BSEEVI", 2300), bse("DOL200", 26096, "BSEDOLLEX200", 1900),
  bse("BSE CG", 26097, "BSECAPITALGOODS", 71000, true), bse("FIN", 26098, "BSEFINANCIALSERVICES", 13200, true), bse("BSEQUI", 26099, "BSEQUI", 1600),
  bse("METAL", 26100, "BSEMETAL", 34500, true), bse("MFG", 26101, "MFG", 1150), bse("ALLCAP", 26102, "ALLCAP", 11100),
  bse("SMLSEL", 26103, "BSESMALLCAPSELECTINDEX", 8100), bse("DFRGRI", 26104, "DFRGRI", 7700), bse("BSE CD", 26105, "BSECONSUMERDURABLES", 61500),
  bse("SMLCAP", 26106, "BSESMALLCAP", 53000, true), bse("OILGAS", 26107, "BSEOIL&GAS", 27500, true), bse("BSEIPO", 26108, "BSEIPO", 15800),
  bse("DOL30", 26109, "BSEDOLLEX30", 6800), bse("BSEMOI", 26110, "BSEMOI", 1050), bse("SNXT50", 26111, "BSESENSEXNEXT50", 81000, true),
  bse("CPSE", 26112, "BSECPSE", 3900), bse("LCTMCI", 26113, "LCTMCI", 3100), bse("BSEDSI", 26114, "BSEDSI", 2200),
  bse("INFRA", 26115, "BSEINDIAINFRASTRUCTUREINDEX", 640), bse("SS6535", 26131, "SS6535", 1650), bse("TECK", 26117, "BSETECK", 18000, true),
  bse("BANKEX", 26118, "BANKEX", 65000, true), bse("BSEFMC", 26119, "BSEFASTMOVINGCONSUMERGOODS", 20200), bse("GREENX", 26120, "BSEGREENEX", 7600),
  bse("CARBON", 26116, "BSECARBONEX", 3200), bse("SNSX60", 26130, "SNSX60", 1700), bse("POWENE", 26132, "POWENE", 1400),
  bse("200EQW", 26133, "200EQW", 1250), bse("INTECO", 26134, "INTECO", 1100), bse("CAPINS", 26135, "CAPINS", 1300),
  bse("BBGEFS", 26136, "BBGEFS", 1200),
];

export interface Currency {
  readonly name: string;
  readonly spot: number;
  readonly multiplier: string;
  /** UnderlyingInstrumentId XTS puts on currency options. */
  readonly underlyingId: string;
  readonly futureMonths: number;
  readonly optionMonths: number;
  /** Weekly options every Friday. */
  readonly weekly: boolean;
  readonly weight: number;
}

/**
 * NSE currency derivatives: lot 1 (the contract size is the multiplier), tick 0.0025, strikes
 * every 0.25; options run three monthlies then three quarterlies, USDINR also has weeklies.
 */
export const CURRENCIES: readonly Currency[] = [
  { name: "USDINR", spot: 88.62, multiplier: "1000", underlyingId: "3100100000026", futureMonths: 12, optionMonths: 3, weekly: true, weight: 3 },
  { name: "EURINR", spot: 103.18, multiplier: "1000", underlyingId: "3100100000027", futureMonths: 6, optionMonths: 3, weekly: false, weight: 1 },
  { name: "GBPINR", spot: 117.44, multiplier: "1000", underlyingId: "3100100000028", futureMonths: 6, optionMonths: 3, weekly: false, weight: 1 },
  { name: "JPYINR", spot: 57.36, multiplier: "100000", underlyingId: "3100100000029", futureMonths: 6, optionMonths: 3, weekly: false, weight: 1 },
];

export type CommodityGroup = "energy" | "bullion" | "base";

export interface Commodity {
  readonly name: string;
  readonly group: CommodityGroup;
  readonly price: number;
  readonly lotSize: number;
  readonly tickSize: number;
  readonly optionTick: number;
  /** Null: no options traded. */
  readonly strikeStep: number | null;
  /** Contract months; empty means every month. */
  readonly months: readonly number[];
  readonly futures: number;
  readonly optionSeries: number;
  readonly weight: number;
}

const EVERY_MONTH: readonly number[] = [];

/** MCX: lots in the units the price is quoted in; futures and options on futures (Series FUTCOM/OPTFUT). */
export const COMMODITIES: readonly Commodity[] = [
  { name: "CRUDEOIL", group: "energy", price: 5420, lotSize: 100, tickSize: 1, optionTick: 0.1, strikeStep: 50, months: EVERY_MONTH, futures: 4, optionSeries: 3, weight: 3 },
  { name: "CRUDEOILM", group: "energy", price: 5420, lotSize: 10, tickSize: 1, optionTick: 0.1, strikeStep: 50, months: EVERY_MONTH, futures: 4, optionSeries: 2, weight: 1 },
  { name: "NATURALGAS", group: "energy", price: 385.6, lotSize: 1250, tickSize: 0.1, optionTick: 0.05, strikeStep: 5, months: EVERY_MONTH, futures: 4, optionSeries: 3, weight: 2 },
  { name: "NATGASMINI", group: "energy", price: 385.6, lotSize: 250, tickSize: 0.1, optionTick: 0.05, strikeStep: 5, months: EVERY_MONTH, futures: 4, optionSeries: 2, weight: 1 },
  { name: "GOLD", group: "bullion", price: 125_400, lotSize: 100, tickSize: 1, optionTick: 0.5, strikeStep: 100, months: [2, 4, 6, 8, 10, 12], futures: 3, optionSeries: 2, weight: 3 },
  { name: "GOLDM", group: "bullion", price: 125_100, lotSize: 10, tickSize: 1, optionTick: 0.5, strikeStep: 100, months: EVERY_MONTH, futures: 3, optionSeries: 2, weight: 1 },
  { name: "GOLDPETAL", group: "bullion", price: 12_520, lotSize: 1, tickSize: 1, optionTick: 1, strikeStep: null, months: EVERY_MONTH, futures: 3, optionSeries: 0, weight: 0 },
  { name: "SILVER", group: "bullion", price: 152_000, lotSize: 30, tickSize: 1, optionTick: 0.5, strikeStep: 250, months: [3, 5, 7, 9, 12], futures: 3, optionSeries: 2, weight: 3 },
  { name: "SILVERM", group: "bullion", price: 151_800, lotSize: 5, tickSize: 1, optionTick: 0.5, strikeStep: 250, months: [2, 4, 6, 8, 11], futures: 3, optionSeries: 2, weight: 1 },
  { name: "SILVERMIC", group: "bullion", price: 151_700, lotSize: 1, tickSize: 1, optionTick: 1, strikeStep: null, months: [2, 4, 6, 8, 11], futures: 3, optionSeries: 0, weight: 0 },
  { name: "COPPER", group: "base", price: 1005.5, lotSize: 2500, tickSize: 0.05, optionTick: 0.05, strikeStep: 5, months: EVERY_MONTH, futures: 3, optionSeries: 2, weight: 1.5 },
  { name: "ZINC", group: "base", price: 296.4, lotSize: 5000, tickSize: 0.05, optionTick: 0.05, strikeStep: 2.5, months: EVERY_MONTH, futures: 3, optionSeries: 2, weight: 1 },
  { name: "ALUMINIUM", group: "base", price: 262.7, lotSize: 5000, tickSize: 0.05, optionTick: 0.05, strikeStep: 2.5, months: EVERY_MONTH, futures: 3, optionSeries: 2, weight: 1 },
  { name: "LEAD", group: "base", price: 181.35, lotSize: 5000, tickSize: 0.05, optionTick: 0.05, strikeStep: null, months: EVERY_MONTH, futures: 3, optionSeries: 0, weight: 0 },
  { name: "ZINCMINI", group: "base", price: 296.2, lotSize: 1000, tickSize: 0.05, optionTick: 0.05, strikeStep: null, months: EVERY_MONTH, futures: 3, optionSeries: 0, weight: 0 },
  { name: "ALUMINI", group: "base", price: 262.5, lotSize: 1000, tickSize: 0.05, optionTick: 0.05, strikeStep: null, months: EVERY_MONTH, futures: 3, optionSeries: 0, weight: 0 },
  { name: "MENTHAOIL", group: "base", price: 915.8, lotSize: 360, tickSize: 0.1, optionTick: 0.1, strikeStep: null, months: EVERY_MONTH, futures: 3, optionSeries: 0, weight: 0 },
];

/** MCX spot rows (COMDTY); never stored, their tokens are shared with NSECM ones on purpose. */
export const MCX_SPOT_NAMES: readonly string[] = ["GOLD", "SILVER", "CRUDEOIL", "NATURALGAS", "COPPER", "ZINC", "ALUMINIUM", "LEAD"];

/** Parts for synthetic company names. Letters only, so that no name can run into the digits of a derivative symbol. */
export const NAME_HEADS: readonly string[] = [
  "AARTI", "ABAN", "ACCEL", "ADOR", "AGRO", "AJANTA", "ALKYL", "AMBER", "ANAND", "APAR", "ARVIND", "ASAHI", "ATUL", "AVANTI",
  "BALA", "BHAGYA", "BIRLA", "CAMLIN", "CENTURY", "DHAN", "DIAMOND", "ELGI", "EMAMI", "GANESH", "GARWARE", "GOKUL", "GUJ",
  "HIND", "INDO", "JAI", "JAY", "KALPA", "KAMDHENU", "KIRLOSKAR", "LAKSHMI", "MAHA", "MANGAL", "NAV", "NILKAMAL", "ORIENT",
  "PARAS", "PATEL", "PRAKASH", "RAJ", "RAMA", "SAKTHI", "SHIVA", "SHREE", "SHRI", "SUPREME", "SURYA", "UNI", "VARDH", "VISHNU",
  "WELS", "ZEN", "OMKAR", "SATYA", "VIKAS", "PRIYA", "DEEP", "KESAR", "MEGH", "NEEL", "PUSHP", "RUCHI", "SAMRAT", "TIRUPATI",
];

export const NAME_TAILS: readonly string[] = [
  "TEX", "CHEM", "PHARMA", "STEEL", "AUTO", "INFRA", "POWER", "FIN", "TECH", "SOFT", "CEM", "PAPER", "SUGAR", "FOODS", "LABS",
  "METAL", "POLY", "PLAST", "GLASS", "TYRE", "CAP", "INV", "ENT", "IND", "AGRI", "SPIN", "FORG", "CAST", "ELEC", "BUILD",
  "HOTEL", "MEDI", "OIL", "GAS", "LOG", "SEC", "TRAD", "LEAS", "PACK", "FERT",
];

export const NAME_SUFFIXES: readonly string[] = ["", "", "", "IND", "INDIA", "CORP", "GLOBAL", "HOLD", "VEN", "INTL", "SYS", "LTD"];

export const STATE_CODES: readonly string[] = [
  "KL", "TN", "MH", "UP", "RJ", "GJ", "KA", "AP", "TS", "PN", "WB", "HR", "BR", "MP", "OR", "AS", "HP", "JK", "UK", "CG", "GA",
];

export const BOND_ISSUERS: readonly string[] = ["SCL", "TSI", "IIFL", "MFL", "EFL", "KFL", "SFL", "IHFL", "NHAI", "REC", "PFC", "IRFC", "HUDCO", "NTPC", "PGCIL"];

export const MF_HOUSES: readonly string[] = ["UTIAMC", "HDFCAMC", "SBIMF", "ICICIPRU", "NIPPON", "KOTAKMF", "AXISMF", "MIRAEMF"];
