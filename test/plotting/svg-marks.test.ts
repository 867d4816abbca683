import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderLinePlot } from '../../src/plotting/svg.js';
import type { LinePlotSpec } from '../../src/plotting/types.js';
import { findXmlProblems } from './well-formed-xml.js';

function bandSpec(): LinePlotSpec {
  return {
    xAxis: { title: 'efficiency', min: 0, max: 1 },
    yAxis: { title: 'mistag', scale: 'log', min: 1e-3, max: 1 },
    series: [{ label: 'curve', x: [0, 0.5, 1], y: [0.01, 0.1, 1] }],
    bands: [{ label: 'band <68%>', x: [0, 0.5, 1], low: [0, 0.05, 0.9], high: [0.02, 0.2, 1], color: '#123456' }],
  };
}

test('band drawn as one filled path', () => {
  const svg = renderLinePlot(bandSpec());
  assert.deepEqual(findXmlProblems(svg), []);
  const fills = svg.match(/<path d="M[^"]+Z" fill="#123456" fill-opacity="0.25"/g) ?? [];
  assert.equal(fills.length, 1);
  // three upper and three lower points, the lower bound 0 drawn at the axis bottom
  const outline = /<path d="M([^"]+)Z" fill="#123456"/.exec(svg)?.[1] ?? '';
  assert.equal(outline.split('L').length, 6);
  assert.ok(svg.includes('>band &lt;68%&gt;</text>'));
});

test('band with mismatched lengths is rejected', () => {
  const spec = bandSpec();
  spec.bands = [{ label: 'bad', x: [0, 1], low: [0.1], high: [0.2, 0.3] }];
  assert.throws(() => renderLinePlot(spec), /band 'bad' has 2 x values, 1 lower and 2 upper values/);
});

test('error bars span value plus minus error', () => {
  const svg = renderLinePlot({
    xAxis: { title: 'pT', min: 0, max: 10 },
    yAxis: { title: 'efficiency', min: 0, max: 1 },
    series: [{ label: 'eff', x: [5], y: [0.5], yErrors: [0.1], color: 'red', markers: true }],
  });
  assert.deepEqual(findXmlProblems(svg), []);
  const bar = /<path d="M([\d.]+) ([\d.]+)V([\d.]+)M[^"]*" fill="none" stroke="red" stroke-width="1.2"/.exec(svg);
  assert.ok(bar, 'no error bar path');
  const [, , bottom, top] = bar.map(Number);
  // without a title the plot area runs from y = 20 (value 1) to 480 - 62 = 418 (value 0)
  const pixel = (value: number): number => 418 - value * (418 - 20);
  assert.ok(Math.abs(bottom - pixel(0.4)) < 0.02, `bottom ${bottom}`);
  assert.ok(Math.abs(top - pixel(0.6)) < 0.02, `top ${top}`);
});

test('error bars need one error per point', () => {
  assert.throws(
    () => renderLinePlot({ xAxis: { title: 'x' }, yAxis: { title: 'y' }, series: [{ label: 's', x: [1, 2], y: [1, 2], yErrors: [0.1] }] }),
    /series 's' has 2 y values but 1 errors/,
  );
});
