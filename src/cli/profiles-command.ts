import type { Command } from "commander";
import { PROFILES, type BrokerProfile } from "../xts/profiles.js";
import { json, table } from "./format.js";
import type { CliIo } from "./io.js";

/** One profile as the table shows it; `*` marks what has not been seen answering from the broker. */
function row(p: BrokerProfile, current: string): string[] {
  const mark = (field: keyof BrokerProfile, text: string): string => (p.unverified.includes(field) ? `${text}*` : text);
  const servers = Object.entries(p.servers).map(([name, url]) => (Object.keys(p.servers).length === 1 ? url : `${name}=${url}`)).join(" ");
  const login = `key+secret${p.login.mode === "access-token" ? "+access token" : ""}${p.login.hostlookup === "off" ? "" : `, hostlookup ${p.login.hostlookup}`}`;
  const roots = p.marketSocketRoot === p.marketDataRoot ? p.marketDataRoot : `${p.marketDataRoot}, socket ${p.marketSocketRoot}`;
  return [
    `${p.name === current ? "▸ " : "  "}${p.name}`,
    p.title,
    servers,
    mark("marketSocketRoot", roots),
    mark("login", login),
    mark("segments", p.segments.join(" ")),
    mark("margin", p.margin ? "yes" : "no"),
    String(p.ltpCode),
  ];
}

export function addProfilesCommand(program: Command, io: CliIo, current: () => string): void {
  program
    .command("profiles")
    .description("list the XTS brokers xtsbridge can talk to (XTSBRIDGE_PROFILE picks one) and what each supports")
    .option("--json", "print the profiles as JSON, every field with its sources")
    .addHelpText("after", "\n* = taken from OpenAlgo's plugin or the broker's page, not yet seen answering (docs/profiles.md).\nExample: XTSBRIDGE_PROFILE=iifl xtsbridge serve")
    .action((options: { json?: boolean }) => {
      if (options.json === true) {
        io.out(json(PROFILES));
        return;
      }
      const name = current();
      io.out(table(["profile", "broker", "server", "market data", "login", "segments", "margin", "LTP"], PROFILES.map((p) => row(p, name))));
      io.out(`\n▸ = XTSBRIDGE_PROFILE (${name}).  * = not yet seen answering from the broker.  Details and sources: docs/profiles.md\n`);
    });
}
