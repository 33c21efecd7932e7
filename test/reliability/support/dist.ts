import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (test/reliability/support → ../../..). */
export const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const BIN = join(ROOT, "bin", "xtsbridge.js");
const DIST_MAIN = join(ROOT, "dist", "cli", "main.js");
/** What bin/xtsbridge.js runs: tsc's output bundled by scripts/bundle.mjs, the build's second step. */
const BUNDLE = join(ROOT, "dist", "bundle", "cli.js");
const BUILD_INFO = join(ROOT, "dist", ".tsbuildinfo");
// Two test files may need dist/ at once; mkdir is atomic, so the directory is the lock.
const LOCK = join(ROOT, "dist", ".reliability-build.lock");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  if (!existsSync(DIST_MAIN) || !existsSync(BUNDLE)) return 0;
  // tsc -b style incremental builds rewrite only changed outputs; the build info is rewritten on every build.
  const compiled = existsSync(BUILD_INFO) ? statSync(BUILD_INFO).mtimeMs : statSync(DIST_MAIN).mtimeMs;
  // A tsc run without the bundle step leaves the bundle older than what it bundles.
  return Math.min(compiled, statSync(BUNDLE).mtimeMs);
}

const isFresh = (): boolean => builtAt() >= newestSource(join(ROOT, "src"));

/**
 * Makes sure dist/ (what `bin/xtsbridge.js` runs) is built from the current sources. CI's
 * `npm ci` builds it (prepare); a developer who edited src/ gets a rebuild here.
 */
export async function ensureDist(deadlineMs = 120_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!isFresh()) {
    mkdirSync(join(ROOT, "dist"), { recursive: true });
    let locked = false;
    try {
      mkdirSync(LOCK);
      locked = true;
    } catch {
      // Someone else is building: wait for the lock to go, then look again.
      if (Date.now() > deadline) throw new Error(`dist/ build lock ${LOCK} still held after ${deadlineMs} ms; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      if (isFresh()) return;
      const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
      const run = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: ROOT, encoding: "utf8", timeout: deadlineMs });
      // tsc still emits on type errors elsewhere in the tree; only a missing output is fatal here.
      if (!existsSync(DIST_MAIN)) throw new Error(`building dist/ failed:\n${run.stdout}\n${run.stderr}`);
      // An incremental build with nothing to emit may leave the build info as it was: mark it current.
      const now = new Date();
      if (existsSync(BUILD_INFO)) utimesSync(BUILD_INFO, now, now);
      const bundled = spawnSync(process.execPath, [join(ROOT, "scripts", "bundle.mjs")], { cwd: ROOT, encoding: "utf8", timeout: deadlineMs });
      if (bundled.status !== 0 || !existsSync(BUNDLE)) throw new Error(`bundling dist/ failed:\n${bundled.stdout}\n${bundled.stderr}`);
      return;
    } finally {
      if (locked) rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
