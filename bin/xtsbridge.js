#!/usr/bin/env node
// The CLI bundled into one module by `npm run build` (scripts/bundle.mjs): a third faster to start than its ~1,000 files.
import { main } from "../dist/bundle/cli.js";

process.exitCode = await main(process.argv);
