/** Ids inside SVG documents that are combined into one page or one figure. */

/**
 * Gives the ids inside an SVG document a prefix, with the url(#id) and href="#id"
 * references to them, so that several SVGs inlined in one page keep their own clip paths.
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(match[1]);
  let out = svg;
  for (const id of ids) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out
      .replace(new RegExp(`\\sid="${escaped}"`, 'g'), ` id="${prefix}${id}"`)
      .replace(new RegExp(`url\\(#${escaped}\\)`, 'g'), `url(#${prefix}${id})`)
      .replace(new RegExp(`href="#${escaped}"`, 'g'), `href="#${prefix}${id}"`);
  }
  // the XML declaration is not allowed inside HTML
  return out.replace(/^<\?xml[^>]*>\s*/, '');
}
