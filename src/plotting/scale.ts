/** Axis scales: data values to pixel positions on a linear or base-10 log axis. */
import { logDomain, niceLinearDomain } from './ticks.js';
import type { AxisSpec, BandSeries, LineSeries } from './types.js';

// pixel coordinates are clamped to this range so that far-off points stay finite and small
const COORDINATE_LIMIT = 1e5;

export interface Scale {
  min: number;
  max: number;
  log: boolean;
  /** Pixel position of a value, or NaN when it cannot be drawn (non-finite, or ≤ 0 on a log axis). */
  toPixel(value: number): number;
}

/**
 * Builds the scale of one axis from its spec and the data of the series and bands, mapping
 * the axis range onto the pixels from `from` to `to`. Throws a RangeError for an empty or,
 * on a log axis, non-positive range.
 */
export function makeScale(axis: AxisSpec, series: readonly LineSeries[], bands: readonly BandSeries[], axisName: 'x' | 'y', from: number, to: number): Scale {
  const log = axis.scale === 'log';
  let dataMin = Infinity;
  let dataMax = -Infinity;
  for (const s of series) {
    const values = axisName === 'x' ? s.x : s.y;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (!Number.isFinite(value) || (log && value <= 0)) continue;
      if (value < dataMin) dataMin = value;
      if (value > dataMax) dataMax = value;
    }
  }
  for (const band of bands) {
    for (const values of axisName === 'x' ? [band.x] : [band.low, band.high]) {
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (!Number.isFinite(value) || (log && value <= 0)) continue;
        if (value < dataMin) dataMin = value;
        if (value > dataMax) dataMax = value;
      }
    }
  }
  if (dataMin > dataMax) {
    dataMin = log ? 0.1 : 0;
    dataMax = 1;
  }

  let min: number;
  let max: number;
  if (log) {
    const [low, high] = logDomain(axis.min ?? dataMin, axis.max ?? dataMax);
    min = axis.min ?? low;
    max = axis.max ?? high;
  } else {
    const [low, high] = niceLinearDomain(axis.min ?? dataMin, axis.max ?? dataMax);
    min = axis.min ?? low;
    max = axis.max ?? high;
  }
  if (!(max > min) || (log && !(min > 0))) {
    throw new RangeError(`axis '${axis.title}' has range ${min} to ${max}; it must be increasing${log ? ' and positive' : ''}`);
  }

  const offset = log ? Math.log10(min) : min;
  const span = log ? Math.log10(max) - offset : max - min;
  const toPixel = (value: number): number => {
    if (!Number.isFinite(value) || (log && value <= 0)) return NaN;
    const t = ((log ? Math.log10(value) : value) - offset) / span;
    return clamp(from + t * (to - from));
  };
  return { min, max, log, toPixel };
}

function clamp(pixel: number): number {
  return Math.max(-COORDINATE_LIMIT, Math.min(COORDINATE_LIMIT, pixel));
}
