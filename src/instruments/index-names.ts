/**
 * OpenAlgo names for XTS index names. Names are upper-cased and whitespace-collapsed,
 * mapped through these tables, then stripped of spaces and hyphens. The targets follow
 * OpenAlgo's symbology (openalgo-api.md §2, "Index names"): NIFTY 50 is NIFTY, BSE short
 * codes become their long BSE names.
 */
const NSE_INDEX_NAMES: Readonly<Record<string, string>> = {
  "NIFTY 50": "NIFTY",
  "NIFTY BANK": "BANKNIFTY",
  "INDIA VIX": "INDIAVIX",
  "NIFTY FIN SERVICE": "FINNIFTY",
  "NIFTY MID SELECT": "MIDCPNIFTY",
  "NIFTY NEXT 50": "NIFTYNXT50",
  "HANGSENG BEES-NAV": "HANGSENGBEESNAV",
  "HANGSENG BEES NAV": "HANGSENGBEESNAV",
};

const BSE_INDEX_NAMES: Readonly<Record<string, string>> = {
  SNSX50: "SENSEX50",
  SNXT50: "BSESENSEXNEXT50",
  MID150: "BSE150MIDCAPINDEX",
  LMI250: "BSE250LARGEMIDCAPINDEX",
  MSL400: "BSE400MIDSMALLCAPINDEX",
  AUTO: "BSEAUTO",
  "BSE CG": "BSECAPITALGOODS",
  CARBON: "BSECARBONEX",
  "BSE CD": "BSECONSUMERDURABLES",
  CPSE: "BSECPSE",
  DOL100: "BSEDOLLEX100",
  DOL200: "BSEDOLLEX200",
  DOL30: "BSEDOLLEX30",
  ENERGY: "BSEENERGY",
  BSEFMC: "BSEFASTMOVINGCONSUMERGOODS",
  FIN: "BSEFINANCIALSERVICES",
  FINSER: "BSEFINANCIALSERVICES",
  GREENX: "BSEGREENEX",
  "BSE HC": "BSEHEALTHCARE",
  INFRA: "BSEINDIAINFRASTRUCTUREINDEX",
  INDSTR: "BSEINDUSTRIALS",
  "BSE IT": "BSEINFORMATIONTECHNOLOGY",
  LRGCAP: "BSELARGECAP",
  METAL: "BSEMETAL",
  MIDCAP: "BSEMIDCAP",
  MIDSEL: "BSEMIDCAPSELECTINDEX",
  OILGAS: "BSEOIL&GAS",
  POWER: "BSEPOWER",
  BSEPBI: "BSEPSU",
  REALTY: "BSEREALTY",
  SMLCAP: "BSESMALLCAP",
  SMLSEL: "BSESMALLCAPSELECTINDEX",
  SMEIPO: "BSESMEIPO",
  TECK: "BSETECK",
  TELCOM: "BSETELECOM",
};

function normalise(name: string, table: Readonly<Record<string, string>>): string {
  const collapsed = name.trim().toUpperCase().replace(/\s+/g, " ");
  return (table[collapsed] ?? collapsed).replace(/[\s-]+/g, "");
}

export function nseIndexSymbol(name: string): string {
  return normalise(name, NSE_INDEX_NAMES);
}

export function bseIndexSymbol(name: string): string {
  return normalise(name, BSE_INDEX_NAMES);
}
