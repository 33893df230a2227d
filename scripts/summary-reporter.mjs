// node:test reporter that ends the run with the line CI reads: `N passed, N failed`.
// Counts leaf tests only (suites are containers); a file that crashes counts as a failure.
export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const details = event.data.details ?? {};
    if (details.type === "suite") {
      // a suite that failed in its hooks or while loading has no failed children to count
      if (event.type === "test:fail" && details.error?.failureType !== "subtestsFailed") failed++;
      continue;
    }
    if (event.data.skip || event.data.todo) skipped++;
    else if (event.type === "test:pass") passed++;
    else failed++;
  }
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`;
}
