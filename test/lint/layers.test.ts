import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Lints `code` as if it were the file at `path` (nothing is written to the tree). */
async function lint(path: string, code: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: ROOT }).lintText(code, { filePath: resolve(ROOT, path) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the layer table is enforced by npm run lint", () => {
  it("an upward import fails with the rule's message", async () => {
    expect(await lint("src/xts/client/probe.ts", `import { OrderService } from "../../orders/order-service.js";\nexport const x = OrderService;\n`)).toEqual([
      expect.stringMatching(/src\/xts\/ may not import .*src\/orders\/.*layers only point down/),
    ]);
    expect(await lint("src/store/probe.ts", `import type { Route } from "../api/handlers.js";\nexport type X = Route;\n`)).toHaveLength(1);
    expect(await lint("src/orders/probe.ts", `import { buildApp } from "../api/app.js";\nexport const x = buildApp;\n`)).toHaveLength(1);
    expect(await lint("src/orders/probe.ts", `import { OptionsService } from "../options/options-service.js";\nexport const x = OptionsService;\n`)).toHaveLength(1);
    expect(await lint("src/calendar/probe.ts", `import { Resolver } from "../resolver/resolver.js";\nexport const x = Resolver;\n`)).toHaveLength(1);
  });

  it("the sandbox may not borrow the product's symbology, and symbology does no I/O", async () => {
    expect(await lint("src/sandbox/server/probe.ts", `import { rowFromInstrument } from "../../instruments/symbology.js";\nexport const x = rowFromInstrument;\n`)).toHaveLength(1);
    expect(await lint("src/instruments/probe.ts", `import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n`)).toEqual([expect.stringMatching(/no I\/O/)]);
  });

  it("downward imports, and the composition root's, pass", async () => {
    expect(await lint("src/orders/probe.ts", `import { Resolver } from "../resolver/resolver.js";\nexport const x = Resolver;\n`)).toEqual([]);
    expect(await lint("src/cli/probe.ts", `import { buildApp } from "../api/app.js";\nimport { createSandbox } from "../sandbox/create-sandbox.js";\nexport const x = [buildApp, createSandbox];\n`)).toEqual([]);
    expect(await lint("src/store/sqlite/probe.ts", `import { apiKeyFromRow } from "../api-key-row.js";\nexport const x = apiKeyFromRow;\n`)).toEqual([]);
  });
});
