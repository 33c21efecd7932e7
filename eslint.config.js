import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
  {
    files: ["src/config.ts", "src/cli/io.ts", "test/**", "bench/**", "scripts/**", "**/*.test.ts", "bin/**", ".ci/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
