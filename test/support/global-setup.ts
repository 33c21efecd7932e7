import { ensureDist } from "../reliability/support/dist.js";

/**
 * Several suites run the real CLI (`bin/xtsbridge.js` → dist/). Build dist/ once, before any
 * worker starts, when src/ is newer than it (CI's `npm ci` has already built it).
 */
export default async function setup(): Promise<void> {
  await ensureDist();
}
