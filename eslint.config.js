import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layers of DESIGN.md, top to bottom: a layer may import the ones below it, never one above
 * it or beside it that it must know nothing of. `cli/` (the composition root) may import anything.
 */
const FORBIDDEN = {
  api: ["cli", "sandbox"],
  orders: ["api", "cli", "sandbox", "options", "analyzer", "streaming"],
  // Options resolution and Greeks sit on the order and quote services; the paper engine is above them.
  options: ["api", "cli", "sandbox", "analyzer", "streaming"],
  analyzer: ["api", "cli", "sandbox", "streaming"],
  streaming: ["api", "cli", "sandbox", "analyzer"],
  // The exchange calendar is data and date arithmetic: it depends on nothing but the error types.
  calendar: ["api", "orders", "options", "analyzer", "streaming", "mastercontract", "marketdata", "resolver", "instruments", "store", "xts", "cli", "sandbox"],
  mastercontract: ["api", "orders", "cli", "sandbox"],
  marketdata: ["api", "orders", "mastercontract", "cli", "sandbox"],
  resolver: ["api", "orders", "mastercontract", "cli", "sandbox"],
  instruments: ["api", "orders", "mastercontract", "resolver", "cli", "sandbox"],
  store: ["api", "orders", "mastercontract", "resolver", "instruments", "xts", "cli", "sandbox"],
  xts: ["api", "orders", "mastercontract", "resolver", "instruments", "store", "cli", "sandbox"],
  // The sandbox is the independent oracle of the expected OpenAlgo symbols: it must not borrow the product's symbology.
  sandbox: ["api", "orders", "mastercontract", "resolver", "instruments", "store", "cli"],
};

const layerRules = Object.entries(FORBIDDEN).map(([layer, forbidden]) => ({
  files: [`src/${layer}/**/*.ts`],
  ignores: ["**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: `^(\\.\\./)+(${forbidden.join("|")})/`,
            message: `src/${layer}/ may not import ${forbidden.map((f) => `src/${f}/`).join(", ")}: layers only point down (DESIGN.md › Layers; docs/architecture.md).`,
          },
          ...(layer === "instruments"
            ? [{ regex: "^(node:)?(fs|net|http|https|child_process)(/|$)|^(pg|better-sqlite3)$", message: "src/instruments/ is pure symbology: no I/O of any kind (DESIGN.md › Layers)." }]
            : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: [".bench-dist/**", "dist/**", "node_modules/**", "data/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly" } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read the environment only in src/config.ts (DESIGN invariant 7)." }],
    },
  },
  ...layerRules,
  {
    // The dashboard's page script runs in the browser, as plain ES modules.
    files: ["web/**/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: Object.fromEntries(
        ["window", "document", "location", "fetch", "WebSocket", "URLSearchParams", "Intl", "CSS", "Node", "setTimeout", "clearTimeout", "setInterval", "clearInterval", "console"].map((g) => [g, "readonly"]),
      ),
    },
  },
  {
    files: ["src/config.ts", "src/cli/io.ts", "test/**", "bench/**", "scripts/**", "**/*.test.ts", "bin/**", ".ci/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
