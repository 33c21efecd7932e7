import type { SymbolStore } from "../../src/store/symbol-store.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "./temp-dir.js";

/** One store backend for the shared suite: `open()` gives a fresh, empty, isolated store. */
export interface Backend {
  readonly name: string;
  open(): Promise<{ store: SymbolStore; url: string; cleanup: () => Promise<void> }>;
}

export const sqliteBackend: Backend = {
  name: "sqlite",
  async open() {
    const dir = tempDir("xtsbridge-store-");
    const path = dir.file("test.db");
    const store = SqliteStore.open(path);
    return {
      store,
      url: `sqlite:${path}`,
      cleanup: async () => {
        await store.close();
        dir.remove();
      },
    };
  },
};

export const BACKENDS: readonly Backend[] = [sqliteBackend];
