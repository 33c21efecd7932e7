/**
 * Schema versions, applied in order and recorded in `schema_migrations`. A migration is
 * never edited once released: a change is a new version. Each has SQL per dialect.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

const SYMBOL_TOKEN_PLAIN_COLUMNS = `
  broker TEXT NOT NULL,
  symbol TEXT NOT NULL,
  brsymbol TEXT NOT NULL,
  name TEXT NOT NULL,
  exchange TEXT NOT NULL,
  brexchange TEXT NOT NULL,
  token INTEGER NOT NULL,
  expiry TEXT NOT NULL DEFAULT '',
  strike DOUBLE PRECISION NOT NULL DEFAULT 0,
  lotsize INTEGER NOT NULL,
  instrumenttype TEXT NOT NULL,
  tick_size DOUBLE PRECISION NOT NULL,
  freeze_qty INTEGER NOT NULL DEFAULT 0`;

const SYMBOL_TOKEN_COLUMNS = `${SYMBOL_TOKEN_PLAIN_COLUMNS},
  CONSTRAINT symbol_token_symbol_key UNIQUE (broker, exchange, symbol),
  CONSTRAINT symbol_token_token_key UNIQUE (broker, brexchange, token)`;

const SYMBOL_TOKEN_KEY_INDEX = `
CREATE INDEX idx_symbol_token_exchange_token ON symbol_token (broker, exchange, token);`;
const SYMBOL_TOKEN_TEXT_INDEXES = `
CREATE INDEX idx_symbol_token_name ON symbol_token (broker, name);
CREATE INDEX idx_symbol_token_brsymbol ON symbol_token (broker, brsymbol);`;
const SYMBOL_TOKEN_INDEXES = SYMBOL_TOKEN_KEY_INDEX + SYMBOL_TOKEN_TEXT_INDEXES;

// Timestamps are ISO-8601 text in both dialects so the two backends return identical records.
const MASTER_STATUS_TABLE = `
CREATE TABLE master_contract_status (
  broker TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('pending', 'downloading', 'success', 'error')),
  message TEXT NOT NULL DEFAULT '',
  started_at TEXT,
  finished_at TEXT,
  duration_ms BIGINT,
  total_symbols INTEGER NOT NULL DEFAULT 0,
  exchange_counts TEXT NOT NULL DEFAULT '{}',
  report TEXT,
  last_success_at TEXT,
  contract_version INTEGER NOT NULL DEFAULT 0,
  owner TEXT,
  updated_at TEXT NOT NULL
);`;

const API_KEY_COLUMNS = `
  name TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  last_used_at TEXT`;

// Candles are keyed by instrument (exchange + token), not symbol, and live apart from symbol_token,
// so a contract refresh never touches them. `candle_days` records which IST days of an
// instrument and interval were fetched complete (a holiday too: it has no bars, and is not asked again).
const CANDLE_TABLES = `
CREATE TABLE candles (
  broker TEXT NOT NULL,
  exchange TEXT NOT NULL,
  token INTEGER NOT NULL,
  interval TEXT NOT NULL,
  ts BIGINT NOT NULL,
  open DOUBLE PRECISION NOT NULL,
  high DOUBLE PRECISION NOT NULL,
  low DOUBLE PRECISION NOT NULL,
  close DOUBLE PRECISION NOT NULL,
  volume DOUBLE PRECISION NOT NULL,
  oi DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (broker, exchange, token, interval, ts)
);
CREATE TABLE candle_days (
  broker TEXT NOT NULL,
  exchange TEXT NOT NULL,
  token INTEGER NOT NULL,
  interval TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (broker, exchange, token, interval, day)
);`;

// The analyzer's paper books: its mode and its orders, never mixed with the broker's.
const ANALYZER_TABLES = `
CREATE TABLE analyzer_settings (
  broker TEXT PRIMARY KEY,
  analyze_mode INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE analyzer_orders (
  broker TEXT NOT NULL,
  orderid TEXT NOT NULL,
  placed_at BIGINT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (broker, orderid)
);`;

/**
 * `symbol_token` as the migrations leave it, for SQLite's replace, which builds the new contract in a
 * fresh table and swaps it in within the one transaction: rows go in without indexes and the indexes
 * are built once, sorted, after them (about half the time of deleting and inserting through five
 * B-trees). The two unique constraints become unique indexes of the same names and columns. A
 * migration that changes symbol_token must change this too (test/store/sqlite-replace.test.ts
 * compares the rebuilt table with the migrated one).
 */
export const SYMBOL_TOKEN_REBUILD = {
  table: (name: string): string => `CREATE TABLE ${name} (id INTEGER PRIMARY KEY, ${SYMBOL_TOKEN_PLAIN_COLUMNS},
  lower_circuit DOUBLE PRECISION,
  upper_circuit DOUBLE PRECISION)`,
  indexes: `
CREATE UNIQUE INDEX symbol_token_symbol_key ON symbol_token (broker, exchange, symbol);
CREATE UNIQUE INDEX symbol_token_token_key ON symbol_token (broker, brexchange, token);${SYMBOL_TOKEN_INDEXES}`,
  /**
   * The same indexes in two parts, for rows that arrive while their producer still works: the key
   * indexes are kept up as they go in, the two on free text (the dearest to keep up row by row) are
   * built after the last. Measured on a 120,000-row first import: 1.10 s against 1.17 s with all
   * five kept up, 1.17 s with all five built after.
   */
  keyIndexes: `
CREATE UNIQUE INDEX symbol_token_symbol_key ON symbol_token (broker, exchange, symbol);
CREATE UNIQUE INDEX symbol_token_token_key ON symbol_token (broker, brexchange, token);${SYMBOL_TOKEN_KEY_INDEX}`,
  textIndexes: SYMBOL_TOKEN_TEXT_INDEXES,
};

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "symbol_token",
    sqlite: `CREATE TABLE symbol_token (id INTEGER PRIMARY KEY, ${SYMBOL_TOKEN_COLUMNS});${SYMBOL_TOKEN_INDEXES}`,
    postgres: `CREATE TABLE symbol_token (id BIGSERIAL PRIMARY KEY, ${SYMBOL_TOKEN_COLUMNS});${SYMBOL_TOKEN_INDEXES}`,
  },
  {
    version: 2,
    name: "master_contract_status",
    sqlite: MASTER_STATUS_TABLE,
    postgres: MASTER_STATUS_TABLE,
  },
  {
    version: 3,
    name: "api_keys",
    sqlite: `CREATE TABLE api_keys (id INTEGER PRIMARY KEY, ${API_KEY_COLUMNS});`,
    postgres: `CREATE TABLE api_keys (id BIGSERIAL PRIMARY KEY, ${API_KEY_COLUMNS});`,
  },
  {
    version: 4,
    name: "candles",
    sqlite: CANDLE_TABLES,
    postgres: CANDLE_TABLES,
  },
  {
    // The day's price band (circuit limits), refreshed with the contract every morning.
    version: 5,
    name: "symbol_token circuit limits",
    sqlite: "ALTER TABLE symbol_token ADD COLUMN lower_circuit DOUBLE PRECISION; ALTER TABLE symbol_token ADD COLUMN upper_circuit DOUBLE PRECISION;",
    postgres: "ALTER TABLE symbol_token ADD COLUMN lower_circuit DOUBLE PRECISION; ALTER TABLE symbol_token ADD COLUMN upper_circuit DOUBLE PRECISION;",
  },
  {
    version: 6,
    name: "analyzer paper books",
    sqlite: ANALYZER_TABLES,
    postgres: ANALYZER_TABLES,
  },
  {
    // The in-memory index of the stored contract as one blob, written in the replace transaction.
    version: 7,
    name: "contract_snapshot",
    sqlite: "CREATE TABLE contract_snapshot (broker TEXT PRIMARY KEY, contract_version INTEGER NOT NULL, bytes BLOB NOT NULL);",
    postgres: "CREATE TABLE contract_snapshot (broker TEXT PRIMARY KEY, contract_version INTEGER NOT NULL, bytes BYTEA NOT NULL);",
  },
  {
    // The snapshot in parts of at most SNAPSHOT_PART_BYTES: one 21 MB blob made the database copy
    // it whole while writing (57 MB more peak memory in the refresh, measured; 19 MB in parts). An
    // older snapshot is dropped: the next start reads the rows once, the next refresh writes parts.
    version: 8,
    name: "contract_snapshot in parts",
    sqlite:
      "DROP TABLE contract_snapshot; CREATE TABLE contract_snapshot (broker TEXT NOT NULL, contract_version INTEGER NOT NULL, part INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (broker, part));",
    postgres:
      "DROP TABLE contract_snapshot; CREATE TABLE contract_snapshot (broker TEXT NOT NULL, contract_version INTEGER NOT NULL, part INTEGER NOT NULL, bytes BYTEA NOT NULL, PRIMARY KEY (broker, part));",
  },
];
