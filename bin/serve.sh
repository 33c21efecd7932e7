#!/bin/sh
# `npm start`: the server as it should run in production (docs/deployment.md › Memory and GC).
# - MALLOC_MMAP_THRESHOLD_ held at glibc's starting value, so the memory a refresh frees goes back
#   to the kernel instead of staying with the process;
# - on a machine (or CPU set) of one CPU, V8's collector without helper threads: they would only
#   take turns with the request thread on that CPU, and a collection waiting for a helper the
#   kernel has not scheduled is a pause every request waits out (on one CPU, with the helpers:
#   major pauses of 12-24 ms under load; without: at most 10 ms; docs/benchmarks.md, issue 19).
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
if [ "$(nproc 2>/dev/null)" = 1 ]; then
  exec node --single-threaded-gc "$(dirname "$0")/xtsbridge.js" serve "$@"
fi
exec node "$(dirname "$0")/xtsbridge.js" serve "$@"
