import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnsupportedError } from '../../src/errors.js';
import { escapeXml, renderLinePlot } from '../../src/plotting/svg.js';
import type { LinePlotSpec } from '../../src/plotting/types.js';
import { findXmlProblems } from './well-formed-xml.js';

function rocLikeSpec(): LinePlotSpec {
  const x = [0, 0.25, 0.5, 0.75, 1];
  return {
    title: 'b tagging <test> & η',
    xAxis: { title: 'b-jet efficiency', min: 0, max: 1 },
    yAxis: { title: 'mistag rate', scale: 'log', min: 1e-3, max: 1 },
    series: [
      { label: 'DeepJet BvsL (AUC = 0.912)', x, y: [0, 0.002, 0.01, 0.1, 1] },
      { label: 'cut "loose" & <tight>', x, y: [0.001, 0.01, 0.05, 0.3, 1], dashed: true },
      { label: 'working points', x: [0.5], y: [0.01], line: false, markers: true, pointLabels: ['1%'] },
    ],
    legend: 'upper-left',
  };
}

test('well-formed SVG for a log plot', () => {
  const svg = renderLinePlot(rocLikeSpec());
  assert.deepEqual(findXmlProblems(svg), []);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"'));
});

test('XML checker finds broken documents', () => {
  assert.notDeepEqual(findXmlProblems('<svg><g></svg>'), []);
  assert.notDeepEqual(findXmlProblems('<svg><text>a & b</text></svg>'), []);
  assert.notDeepEqual(findXmlProblems('<svg><text>a < b</text></svg>'), []);
  assert.notDeepEqual(findXmlProblems('<svg/><svg/>'), []);
  assert.deepEqual(findXmlProblems('<svg><text x="1">a &amp; b</text><rect/></svg>'), []);
});

test('labels are escaped', () => {
  const svg = renderLinePlot(rocLikeSpec());
  assert.ok(svg.includes('>b tagging &lt;test&gt; &amp; η</text>'));
  assert.ok(svg.includes('>cut &quot;loose&quot; &amp; &lt;tight&gt;</text>'));
  assert.ok(!svg.includes('<tight>'));
  assert.equal(escapeXml(`a<b>&"c"'`), 'a&lt;b&gt;&amp;&quot;c&quot;&apos;');
});

test('log axis has decade labels and minor ticks', () => {
  const svg = renderLinePlot(rocLikeSpec());
  for (const label of ['10⁻³', '10⁻²', '10⁻¹', '>1</text>']) assert.ok(svg.includes(label), label);
  // 8 minor ticks per decade, 3 px long
  const minorTicks = svg.match(/h3(?=M|")/g) ?? [];
  assert.equal(minorTicks.length, 24);
});

test('linear x axis has tick labels', () => {
  const svg = renderLinePlot(rocLikeSpec());
  for (const label of ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']) assert.ok(svg.includes(`>${label}</text>`), label);
});

test('zero on log axis breaks the line', () => {
  const svg = renderLinePlot({
    xAxis: { title: 'x' },
    yAxis: { title: 'y', scale: 'log' },
    series: [{ label: 'a', x: [0, 1, 2, 3, 4], y: [1, 0.1, 0, 0.01, 0.1] }],
  });
  const path = svg.match(/<path d="([^"]*)" fill="none" stroke="#1f77b4"/);
  assert.ok(path);
  assert.equal(path[1].match(/M/g)?.length, 2);
  assert.equal(path[1].match(/L/g)?.length, 2);
});

test('markers and point labels are drawn', () => {
  const svg = renderLinePlot(rocLikeSpec());
  // one marker in the plot and one in the legend
  assert.equal(svg.match(/<circle /g)?.length, 2);
  assert.ok(svg.includes('>1%</text>'));
});

test('series with empty label stays out of legend', () => {
  const spec = rocLikeSpec();
  const svg = renderLinePlot({ ...spec, series: [{ ...spec.series[0], label: '' }] });
  assert.ok(!svg.includes('class="legend"'));
  assert.deepEqual(findXmlProblems(svg), []);
});

test('automatic linear axes cover the data', () => {
  const svg = renderLinePlot({
    xAxis: { title: 'epoch' },
    yAxis: { title: 'loss' },
    series: [{ label: 'training', x: [1, 2, 3], y: [0.93, 0.71, 0.62] }],
  });
  assert.deepEqual(findXmlProblems(svg), []);
  for (const label of ['1.0', '3.0', '0.6', '0.9', '1.0']) assert.ok(svg.includes(`>${label}</text>`), label);
});

test('log x axis is rejected', () => {
  assert.throws(
    () => renderLinePlot({ xAxis: { title: 'x', scale: 'log' }, yAxis: { title: 'y' }, series: [] }),
    UnsupportedError,
  );
});

test('mismatched series lengths are rejected', () => {
  assert.throws(
    () => renderLinePlot({ xAxis: { title: 'x' }, yAxis: { title: 'y' }, series: [{ label: 'a', x: [1, 2], y: [1] }] }),
    /series 'a' has 2 x values but 1 y values/,
  );
});

test('non-positive log range is rejected', () => {
  assert.throws(
    () => renderLinePlot({ xAxis: { title: 'x' }, yAxis: { title: 'y', scale: 'log', min: 0, max: 1 }, series: [] }),
    RangeError,
  );
});

test('markers outside the plot area are skipped', () => {
  const svg = renderLinePlot({
    xAxis: { title: 'x', min: 0, max: 1 },
    yAxis: { title: 'y', min: 0, max: 1 },
    series: [{ label: '', x: [1, 0.5, 2], y: [1, 0.5, 0.5], line: false, markers: true }],
  });
  // the marker on the corner is drawn whole, the one at x = 2 not at all
  assert.equal(svg.match(/<circle /g)?.length, 2);
});

test('integer ticks on an epoch axis', () => {
  const svg = renderLinePlot({
    xAxis: { title: 'epoch', integerTicks: true },
    yAxis: { title: 'loss' },
    series: [{ label: 'training', x: [1, 2, 3], y: [0.9, 0.7, 0.6] }],
  });
  assert.ok(svg.includes('>2</text>'));
  assert.ok(!svg.includes('>1.5</text>'));
});
