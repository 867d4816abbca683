/** Plot specifications: plain data that the SVG renderer turns into a picture. */

/** Scale of an axis: linear, or base-10 log. */
export type AxisScale = 'linear' | 'log';

export interface AxisSpec {
  title: string;
  /** Default 'linear'. Only the y axis may be 'log'. */
  scale?: AxisScale;
  /** Lower end of the axis; when omitted it is taken from the data and rounded outwards. */
  min?: number;
  /** Upper end of the axis; when omitted it is taken from the data and rounded outwards. */
  max?: number;
  /** Put linear ticks on whole numbers only, as for epochs; default false. */
  integerTicks?: boolean;
}

/** One line (or set of markers) with a legend entry. */
export interface LineSeries {
  /** Legend text; an empty string leaves the series out of the legend. */
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour; default from a fixed palette, by series position. */
  color?: string;
  /** Draw lines between points; default true. Non-finite points, and points at or below 0 on a log axis, break the line. */
  line?: boolean;
  /** Draw a circle at each point; default false. */
  markers?: boolean;
  /** Draw a dashed line; default false. */
  dashed?: boolean;
  /** Stroke width in px; default 2. */
  lineWidth?: number;
  /** Text drawn beside each marker, one per point; used only when `markers` is true. */
  pointLabels?: readonly string[];
  /** Symmetric uncertainty of each y value, drawn as a vertical error bar; one per point. */
  yErrors?: ArrayLike<number>;
}

/** A shaded band between a lower and an upper curve, such as an uncertainty band. */
export interface BandSeries {
  /** Legend text; an empty string leaves the band out of the legend. */
  label: string;
  x: ArrayLike<number>;
  low: ArrayLike<number>;
  high: ArrayLike<number>;
  /** CSS colour; default from the series palette, by band position. */
  color?: string;
  /** Fill opacity in [0, 1]; default 0.25. */
  opacity?: number;
}

/** Corner of the plot area that contains the legend, or 'none' for no legend. */
export type LegendPosition = 'upper-left' | 'upper-right' | 'lower-left' | 'lower-right' | 'none';

export interface LinePlotSpec {
  title?: string;
  xAxis: AxisSpec;
  yAxis: AxisSpec;
  series: readonly LineSeries[];
  /** Shaded bands drawn below the series; default none. */
  bands?: readonly BandSeries[];
  /** Picture width in px (SVG user units); default 640. */
  width?: number;
  /** Picture height in px (SVG user units); default 480. */
  height?: number;
  /** Default 'upper-right'. */
  legend?: LegendPosition;
  /** Draw grid lines at the major ticks (and at log minor ticks, lighter); default true. */
  grid?: boolean;
}
