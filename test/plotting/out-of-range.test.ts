import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { renderLinePlot } from '../../src/plotting/svg.js';
import { svgToPng } from '../../src/plotting/png.js';
import type { LinePlotSpec } from '../../src/plotting/types.js';

const spec: LinePlotSpec = {
  xAxis: { title: 'signal efficiency', min: 0, max: 1 },
  yAxis: { title: 'ratio', min: 0, max: 5 },
  series: [
    { label: 'inside', x: [0.1, 0.5, 0.9], y: [1, 2, 3] },
    { label: 'above the frame', x: [0.1, 0.5, 0.9], y: [150, 300, 460] },
  ],
};

test('series wholly above the frame is left out', () => {
  const svg = renderLinePlot(spec);
  // Two legend entries, but only the series inside the frame is drawn as a line.
  assert.match(svg, /inside/);
  assert.match(svg, /above the frame/);
  const alone = renderLinePlot({ ...spec, series: [spec.series[1]] });
  assert.ok(!/stroke-linejoin="round"/.test(alone), 'the series above the frame was drawn');
  assert.ok(/stroke-linejoin="round"/.test(svg), 'the series inside the frame was not drawn');
});

test('png of an out-of-range series does not abort', () => {
  // resvg 2.6 aborts the whole process on a wholly clipped path, so convert in a child.
  const script = `
    const { renderLinePlot } = await import(${JSON.stringify(new URL('../../src/plotting/svg.js', import.meta.url).href)});
    const { svgToPng } = await import(${JSON.stringify(new URL('../../src/plotting/png.js', import.meta.url).href)});
    const png = svgToPng(renderLinePlot(${JSON.stringify({ ...spec, series: [spec.series[1]] })}), 400);
    process.stdout.write(String(png.length));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, `the conversion ended with status ${child.status} signal ${child.signal}: ${child.stderr.slice(-400)}`);
  assert.ok(Number(child.stdout) > 1000);
  assert.ok(svgToPng(renderLinePlot({ ...spec, series: [spec.series[0]] }), 400).length > 1000);
});
