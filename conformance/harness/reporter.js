// Mocha reporter for `./herald conformance`: mocha's own spec output on the console and, as each test ends, one JSON
// line {state, file, title} appended to HERALD_RESULTS. Appending as we go means a run stopped by the time cap still
// leaves every result so far for the tally (tally.js). Loaded by path; mocha itself comes from the run's directory.
'use strict';

const fs = require('fs');
const path = require('path');

const mocha = require(require.resolve('mocha', { paths: [process.cwd()] }));
const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = mocha.Runner.constants;

function fileOf(runnable) {
  for (let r = runnable; r; r = r.parent) {
    if (r.file) return path.relative(process.cwd(), r.file);
  }
  return '(unknown file)';
}

class HeraldConformanceReporter extends mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const out = process.env.HERALD_RESULTS;
    if (!out) return;
    const record = (state) => (test) => {
      const line = JSON.stringify({ state, file: fileOf(test), title: test.fullTitle() });
      fs.appendFileSync(out, line + '\n');
    };
    runner.on(EVENT_TEST_PASS, record('passed'));
    runner.on(EVENT_TEST_FAIL, record('failed'));
    runner.on(EVENT_TEST_PENDING, record('pending'));
  }
}

module.exports = HeraldConformanceReporter;
