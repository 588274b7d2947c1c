import { create } from 'qrcode';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The quiet zone the QR specification asks for around the symbol, in modules. */
const QUIET_ZONE_MODULES = 4;

/**
 * A QR code as SVG elements built module by module: no HTML parsing and no data: URL,
 * so it fits the page's CSP. Always dark on light, which every scanner reads, even in
 * the dark theme.
 */
export function qrCodeSvg(text: string, label: string): SVGSVGElement {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size + QUIET_ZONE_MODULES * 2;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr-code');
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#ffffff');
  const dark: string[] = [];
  for (let row = 0; row < modules.size; row += 1) {
    for (let col = 0; col < modules.size; col += 1) {
      if (modules.get(row, col)) dark.push(`M${col + QUIET_ZONE_MODULES} ${row + QUIET_ZONE_MODULES}h1v1h-1z`);
    }
  }
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', dark.join(''));
  path.setAttribute('fill', '#000000');
  svg.append(background, path);
  return svg;
}
