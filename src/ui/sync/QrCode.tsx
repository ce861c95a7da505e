/** A QR code drawn as SVG: a join code for the tablets to scan. */
import { qrMatrix, qrPath } from "./qr-matrix";

export function QrCode(props: { text: string; label: string; sizePx?: number }) {
  const matrix = qrMatrix(props.text);
  const size = matrix.size;
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${size} ${size}`}
      width={props.sizePx ?? 240}
      height={props.sizePx ?? 240}
      shape-rendering="crispEdges"
    >
      {/* Always dark on white, also at night: scanners need the contrast. */}
      <rect width={size} height={size} fill="#fff" />
      <path d={qrPath(matrix)} fill="#000" />
    </svg>
  );
}
