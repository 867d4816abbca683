import assert from 'node:assert/strict';
import { test } from 'node:test';
import { svgToPng } from '../../src/plotting/png.js';
import { renderLinePlot } from '../../src/plotting/svg.js';
import { PNG_SIGNATURE, pngSize } from './well-formed-xml.js';

const textOnly = (text: string): string =>
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50" viewBox="0 0 200 50">' +
  `<text x="10" y="30" font-family="DejaVu Sans" font-size="20">${text}</text></svg>`;

test('PNG has signature and requested width', () => {
  const svg = renderLinePlot({
    xAxis: { title: 'x', min: 0, max: 1 },
    yAxis: { title: 'y', scale: 'log', min: 1e-3, max: 1 },
    series: [{ label: 'a', x: [0, 1], y: [1e-3, 1] }],
  });
  const png = svgToPng(svg, 320);
  assert.deepEqual(png.subarray(0, 8), Buffer.from(PNG_SIGNATURE));
  assert.deepEqual(pngSize(png), { width: 320, height: 240 });
});

test('text is rendered with a font', () => {
  // a picture with text differs from the same picture without it only if glyphs were drawn
  const withText = svgToPng(textOnly('ROC η 10⁻³'), 200);
  const withoutText = svgToPng(textOnly(''), 200);
  assert.notDeepEqual(withText, withoutText);
  // two different strings give two different pictures
  assert.notDeepEqual(withText, svgToPng(textOnly('AUC'), 200));
});

test('invalid PNG width is rejected', () => {
  assert.throws(() => svgToPng(textOnly('a'), 0), RangeError);
  assert.throws(() => svgToPng(textOnly('a'), 10.5), RangeError);
});
