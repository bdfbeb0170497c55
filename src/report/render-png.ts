import { Resvg } from '@resvg/resvg-js';

/**
 * Rasterises an SVG document to PNG bytes with resvg (system fonts; the chart names
 * DejaVu Sans first, which most Linux images ship). `width` scales the output.
 */
export function renderPng(svg: string, width = 2000): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
