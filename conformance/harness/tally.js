// The tally of a `./herald conformance` run: reads the JSON lines reporter.js wrote (one file per transport), prints
// one line per transport and the failing tests per file, and with --record rewrites the generated block of
// conformance/known-failures.md, between the tally markers; the rest of that file is left as it is.
//
// node tally.js --ref REF --setup TEXT --files "rest/auth ..." [--all-default] [--record FILE.md]
//               TRANSPORT=RESULTS.jsonl=STATUS ...      (STATUS: complete | cut | not-run)
'use strict';

const fs = require('fs');

const START = '<!-- tally:start -->';
const END = '<!-- tally:end -->';
const MAX_TITLES_IN_DOC = 40;

function parseArgs(argv) {
  const opts = { files: [], allDefault: false, record: null, runs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--ref') opts.ref = argv[++i];
    else if (arg === '--setup') opts.setup = argv[++i];
    else if (arg === '--files') opts.files = argv[++i].split(/\s+/).filter(Boolean);
    else if (arg === '--all-default') opts.allDefault = true;
    else if (arg === '--record') opts.record = argv[++i];
    else {
      const [transport, results, status] = arg.split('=');
      opts.runs.push({ transport, results, status });
    }
  }
  return opts;
}

function shortName(file) {
  return file.replace(/^test\//, '').replace(/\.test\.js$/, '');
}

function load(run) {
  const counts = { passed: 0, failed: 0, pending: 0 };
  const failing = new Map(); // file -> Map(title -> times)
  const text = fs.existsSync(run.results) ? fs.readFileSync(run.results, 'utf8') : '';
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch (e) {
      continue; // a line cut short when the run was stopped
    }
    counts[entry.state]++;
    if (entry.state === 'failed') {
      const file = shortName(entry.file);
      // the suites are named after their file: "realtime/init node_transports" is listed under realtime/init
      const title = entry.title.startsWith(file + ' ') ? entry.title.slice(file.length + 1) : entry.title;
      if (!failing.has(file)) failing.set(file, new Map());
      const titles = failing.get(file);
      titles.set(title, (titles.get(title) || 0) + 1);
    }
  }
  return { ...run, counts, failing };
}

function note(run) {
  if (run.status === 'cut') return ' (cut off by the time cap: partial)';
  if (run.status === 'not-run') return ' (not run: the time cap was used up)';
  return '';
}

function printRun(run, fileCount) {
  const c = run.counts;
  console.log(`${run.transport}: ${c.passed} passed, ${c.failed} failed, ${c.pending} pending (files: ${fileCount})${note(run)}`);
  for (const [file, titles] of run.failing) {
    console.log(`  ${file}:`);
    for (const [title, times] of titles) console.log(`    - ${title}${times > 1 ? ` (x${times})` : ''}`);
  }
}

function block(opts, runs) {
  const day = new Date().toISOString().slice(0, 10);
  const files = opts.allDefault
    ? `all ${opts.files.length} default files`
    : `${opts.files.length} file${opts.files.length === 1 ? '' : 's'}: ${opts.files.map((f) => '`' + f + '`').join(', ')}`;
  const lines = [
    START,
    `Last recorded run (${day}, written by \`./herald conformance\`; this block is regenerated, edit outside it):`,
    `ably-js ${opts.ref} tests with npm \`ably@${opts.ref.replace(/^v/, '')}\`, ${opts.setup}, ${files}.`,
    '',
    '| transport | passed | failed | pending | note |',
    '|---|---:|---:|---:|---|',
  ];
  for (const run of runs) {
    const c = run.counts;
    lines.push(`| ${run.transport} | ${c.passed} | ${c.failed} | ${c.pending} | ${note(run).trim().replace(/^\(|\)$/g, '')} |`);
  }
  for (const run of runs) {
    const total = [...run.failing.values()].reduce((n, titles) => n + titles.size, 0);
    lines.push('');
    if (total === 0) {
      lines.push(`Failing with ${run.transport}: none.`);
      continue;
    }
    lines.push(`Failing with ${run.transport}:`);
    lines.push('');
    for (const [file, titles] of run.failing) {
      if (total > MAX_TITLES_IN_DOC) {
        lines.push(`- ${file}: ${titles.size} test${titles.size === 1 ? '' : 's'}`);
      } else {
        for (const title of titles.keys()) lines.push(`- ${file}: \`${title.replace(/`/g, "'")}\``);
      }
    }
  }
  lines.push(END);
  return lines.join('\n');
}

function record(path, text) {
  const doc = fs.readFileSync(path, 'utf8');
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  let updated;
  if (from >= 0 && to > from) {
    updated = doc.slice(0, from) + text + doc.slice(to + END.length);
  } else {
    console.error(`herald conformance: no tally markers in ${path}; the block is appended at its end`);
    updated = doc.replace(/\n*$/, '\n\n') + text + '\n';
  }
  fs.writeFileSync(path, updated);
}

const opts = parseArgs(process.argv.slice(2));
const runs = opts.runs.map(load);
console.log('');
for (const run of runs) printRun(run, opts.files.length);
if (opts.record) {
  record(opts.record, block(opts, runs));
  console.log(`\ntally recorded in ${opts.record}`);
}
