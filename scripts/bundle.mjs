// Part of `npm run build`, after tsc: the CLI (dist/cli/main.js and everything it imports, the
// packages too) as one module, dist/bundle/cli.js, which bin/xtsbridge.js runs. Resolving and
// compiling ~1,000 files was most of a start-up: a replica serving a stored contract was up in
// 537-649 ms from the files and 356-444 ms from the bundle, six alternating starts each
// (docs/benchmarks.md, issue 17, ninth session).
// The two worker threads are bundled the same way, beside it (workerUrl() finds them there),
// sharing chunks with it.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// Chunks are named by their content: an earlier build's would stay beside the new ones.
rmSync(`${root}dist/bundle`, { recursive: true, force: true });

// Packages that find their own files through __dirname, which an ES module bundle has not
// (socket.io's client files, the swagger UI's assets, package.json reads), and the native SQLite
// binding, and undici, whose classes a bundled dynamic import() does not hand over (`undici.Agent
// is not a constructor`): these load from node_modules as they always did.
const EXTERNAL = ["better-sqlite3", "@fastify/swagger", "@fastify/swagger-ui", "socket.io", "ioredis", "undici"];

await build({
  absWorkingDir: root,
  entryPoints: {
    cli: "dist/cli/main.js",
    "refresh-worker": "dist/mastercontract/refresh-worker.js",
    "replace-worker": "dist/mastercontract/replace-worker.js",
  },
  outdir: "dist/bundle",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: EXTERNAL,
  // The bundled CommonJS packages call require(): give them Node's, resolved from the bundle.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  // Each dynamic import() its own chunk, loaded when it runs, as from the files.
  splitting: true,
  // Beside cli.js: the modules that find files relative to their own (the workers, web/) expect dist/<folder>/.
  chunkNames: "[name]-[hash]",
  sourcemap: "linked",
  logLevel: "warning",
});
