import type { Reporter, TestModule } from "vitest/node";
import type { SerializedError } from "vitest";

/**
 * Ends the run with one plain line, `N passed, N failed` (and skipped when any), after vitest's
 * own summary: CI reads that line to know the suite really ran. A file that failed to load, a
 * failing beforeAll or afterAll, and an error outside any test count as failures too: a run with
 * a broken file must never read "0 failed".
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[], unhandledErrors: readonly SerializedError[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    let broken = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
        else skipped += 1;
      }
      // Errors of the file itself (it did not load) or of its suites' hooks, beyond its tests' own.
      const suiteErrors = [...module.children.allSuites()].filter((suite) => suite.state() === "failed" && suite.errors().length > 0).length;
      if (module.state() === "failed" && (module.errors().length > 0 || suiteErrors > 0)) broken += module.errors().length + suiteErrors;
    }
    failed += broken + unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}\n`);
  }
}
