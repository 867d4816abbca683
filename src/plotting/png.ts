/** SVG to PNG conversion with resvg (@resvg/resvg-js), using the DejaVu Sans font family. */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY } from './svg.js';

/**
 * Directories searched for the DejaVu fonts: that of Debian and Ubuntu's fonts-dejavu-core
 * first, then two other common locations. Those that exist are passed to resvg besides
 * the system fonts.
 */
export const DEJAVU_FONT_DIRS: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu-sans-fonts',
  '/usr/share/fonts/dejavu',
];

export interface PngOptions {
  /** Extra font directories to load; default: those of DEJAVU_FONT_DIRS that exist. */
  fontDirs?: readonly string[];
}

/**
 * Renders an SVG document to PNG bytes, scaled to `widthPx` pixels wide with the aspect
 * ratio kept, on a white background.
 *
 * NOTE: resvg draws no text and raises no error when none of the loaded fonts has the
 * glyphs. Install the DejaVu fonts (Debian: fonts-dejavu-core) where plots need labels.
 */
export function svgToPng(svg: string, widthPx: number, options: PngOptions = {}): Buffer {
  if (!Number.isInteger(widthPx) || widthPx <= 0) {
    throw new RangeError(`PNG width must be a positive whole number of pixels, not ${widthPx}`);
  }
  const fontDirs = options.fontDirs ?? DEJAVU_FONT_DIRS.filter((dir) => existsSync(dir));
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: widthPx },
    background: 'white',
    font: {
      loadSystemFonts: true,
      fontDirs: [...fontDirs],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return resvg.render().asPng();
}
