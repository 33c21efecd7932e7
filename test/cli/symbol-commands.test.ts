import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { sampleFiles } from "../support/samples.js";
import { tempDir } from "../support/temp-dir.js";

describe("xtsbridge master import / symbol / token / search", () => {
  const dir = tempDir("xtsbridge-cli-");
  const db = `sqlite:${dir.file("cli.db")}`;
  afterAll(() => dir.remove());

  beforeAll(async () => {
    const run = await runCli(["master", "import", "--db", db, ...sampleFiles()]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
  });

  it("import prints a per-segment report and --json gives the same numbers", async () => {
    const run = await runCli(["master", "import", "--db", db, "--json", ...sampleFiles()]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    expect(report.totals).toMatchObject({ rows: 23_490, unparseable: 0 });
    expect(report.segments.map((s: { segment: string }) => s.segment)).toEqual(["BSECM", "BSEFO", "MCXFO", "NSECD", "NSECM", "NSEFO"]);
    const text = await runCli(["master", "import", "--db", db, ...sampleFiles()]);
    expect(text.out).toMatch(/NSEFO\s+1124\s+688\s+spread 436\s+0/);
    expect(text.out).toMatch(/total: 23969 lines, 23490 rows stored for jainam_prop/);
  });

  it("import exits 1 and names the line when a line is unparseable, but still stores the good rows", async () => {
    const bad = dir.file("bad.txt");
    writeFileSync(bad, "NSECM|2885|8|RELIANCE|RELIANCE-EQ|EQ|RELIANCE-EQ|1|2|1|3|0.1|1|1|RELIANCE|INE|1|1|REL|0|-1|-1\nNSECM|oops\n");
    const other = `sqlite:${dir.file("bad.db")}`;
    const run = await runCli(["master", "import", "--db", other, bad]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/NSECM line 2: InstrumentType \(field 2\) is not a number/);
    expect((await runCli(["symbol", "RELIANCE", "-e", "NSE", "--db", other])).code).toBe(0);
  });

  it("import exits 1 and stores nothing when no row could be built", async () => {
    const empty = dir.file("empty.txt");
    writeFileSync(empty, "\n\n");
    const run = await runCli(["master", "import", "--db", db, empty]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/NOT stored/);
    expect((await runCli(["symbol", "SUZLON", "-e", "NSE", "--db", db])).code).toBe(0);
  });

  it("symbol prints the row with an integer token", async () => {
    const run = await runCli(["symbol", "BERGEPAINT30JAN25FUT", "--exchange", "NFO", "--db", db, "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ symbol: "BERGEPAINT30JAN25FUT", token: 37262, exchange: "NFO", brexchange: "NSEFO" });
  });

  it("symbol forgives case and surrounding spaces, and the exchange's case", async () => {
    const run = await runCli(["symbol", "  suzlon ", "-e", "nse", "--db", db, "--json"]);
    expect(JSON.parse(run.out).token).toBe(12018);
  });

  it("unknown symbol exits 1 naming symbol and exchange with close matches (other expiries first)", async () => {
    const run = await runCli(["symbol", "CDSL24APR25FUT", "-e", "NFO", "--db", db]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/Symbol 'CDSL24APR25FUT' not found on exchange NFO; did you mean CDSL27MAR25FUT, CDSL27FEB25FUT, CDSL30JAN25FUT/);
  });

  it("unknown symbol suggests the spacing fix and near spellings", async () => {
    expect((await runCli(["symbol", "SUZLN", "-e", "NSE", "--db", db])).err).toMatch(/did you mean SUZLON/);
    expect((await runCli(["symbol", "BANKNIFTY 26FEB25 FUT", "-e", "NFO", "--db", db])).err).toMatch(/did you mean BANKNIFTY26FEB25FUT/);
  });

  it("unknown or unserved exchange lists the supported ones, with no NSE fallback: a usage error, exit 2", async () => {
    const run = await runCli(["symbol", "SUZLON", "-e", "BCD", "--db", db]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/Exchange 'BCD' is not supported.*NSE, BSE, NFO, BFO, CDS, MCX, NSE_INDEX, BSE_INDEX/);
  });

  it("token does the reverse lookup, per exchange (tokens are per segment)", async () => {
    const run = await runCli(["token", "37262", "-e", "NFO", "--db", db, "--json"]);
    expect(JSON.parse(run.out).symbol).toBe("BERGEPAINT30JAN25FUT");
    expect((await runCli(["token", "37262", "-e", "NSE", "--db", db])).err).toMatch(/Token 37262 not found on exchange NSE/);
    const bad = await runCli(["token", "12x", "-e", "NSE", "--db", db]);
    expect(bad.err).toMatch(/token must be a positive integer/);
    expect(bad.code).toBe(2);
  });

  it("on an empty database, symbol and token say no contract is stored and how to get one", async () => {
    const empty = tempDir("xtsbridge-empty-");
    try {
      for (const args of [["symbol", "SUZLON", "-e", "NSE"], ["token", "12018", "-e", "NSE"]]) {
        const run = await runCli([...args, "--db", `sqlite:${empty.file("e.db")}`]);
        expect(run.code).toBe(1);
        expect(run.err).toMatch(/no master contract is stored for broker jainam_prop: download it with 'xtsbridge master download'.*'xtsbridge master import FILE/);
        expect(run.err).not.toMatch(/not found on exchange/);
      }
    } finally {
      empty.remove();
    }
  });

  it("import of a missing file names it, exits 2, and imports nothing (no 'internal error')", async () => {
    const run = await runCli(["master", "import", "--db", db, sampleFiles()[0]!, "/no/such/master.txt"]);
    expect(run.code).toBe(2);
    expect(run.err).toBe("error: /no/such/master.txt: no such file; nothing was imported\n");
    expect((await runCli(["symbol", "SUZLON", "-e", "NSE", "--db", db])).code).toBe(0);
  });

  it("search ANDs terms and ranks exact, prefix, contains", async () => {
    const run = await runCli(["search", "sensex", "84700", "-e", "BFO", "-n", "3", "--db", db, "--json"]);
    const rows = JSON.parse(run.out) as { symbol: string }[];
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.symbol).toMatch(/^SENSEX.*84700(CE|PE)$/);
    const exact = JSON.parse((await runCli(["search", "SUZLON", "--db", db, "--json"])).out) as { symbol: string }[];
    expect(exact[0]!.symbol).toBe("SUZLON");
  });

  it("missing arguments are usage errors (exit 2) with help", async () => {
    const run = await runCli(["symbol", "SUZLON", "--db", db]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--exchange/);
    expect((await runCli(["--help"])).out).toMatch(/master/);
  });

  it("a bad DATABASE_URL is a configuration error naming the variable", async () => {
    const run = await runCli(["symbol", "SUZLON", "-e", "NSE"], { DATABASE_URL: "mysql://x" });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/DATABASE_URL: unsupported database URL/);
  });
});
