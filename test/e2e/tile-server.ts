/**
 * A tile server for end-to-end tests, on 127.0.0.1 and a free port, started by the test
 * itself. Every tile is a generated 256 px PNG: one of four colours by column and row parity
 * (neighbours always differ), a dark border, its z/x/y written in the corner, and a little
 * noise in the lowest bit of red and green so a tile weighs about what a real map tile does
 * (~20 KB), not 1 KB.
 * It counts every request, can hold requests after the Nth until released, and offers a WMTS
 * GetCapabilities document with a Web Mercator and a SWEREF 99 TM layer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { deflateSync } from "node:zlib";

/** The tile colours, by (x mod 2) + 2 (y mod 2). */
export const TILE_COLOURS: [number, number, number][] = [
  [0xd7, 0x30, 0x1f],
  [0x2b, 0x8c, 0xbe],
  [0x31, 0xa3, 0x54],
  [0xfd, 0xae, 0x61],
];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Digits and "/" in a 3 x 5 pixel font. */
const GLYPHS: Record<string, string[]> = {
  "0": ["111", "101", "101", "101", "111"],
  "1": ["010", "110", "010", "010", "111"],
  "2": ["111", "001", "111", "100", "111"],
  "3": ["111", "001", "111", "001", "111"],
  "4": ["101", "101", "111", "001", "001"],
  "5": ["111", "100", "111", "001", "111"],
  "6": ["111", "100", "111", "101", "111"],
  "7": ["111", "001", "001", "001", "001"],
  "8": ["111", "101", "111", "101", "111"],
  "9": ["111", "101", "111", "001", "111"],
  "/": ["001", "001", "010", "100", "100"],
};

const SIZE = 256;

/** A tile as PNG (8-bit RGB, no interlace). */
export function tilePng(z: number, x: number, y: number): Buffer {
  const colour = TILE_COLOURS[(x % 2) + 2 * (y % 2)]!;
  const rows: Buffer[] = [];
  let seed = (z * 73_856_093) ^ (x * 19_349_663) ^ (y * 83_492_791);
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed;
  };
  const text = `${z}/${x}/${y}`;
  const scale = 3;
  const inText = (px: number, py: number) => {
    const gx = Math.floor((px - 8) / scale);
    const gy = Math.floor((py - 8) / scale);
    if (gy < 0 || gy >= 5 || gx < 0) return false;
    const glyph = GLYPHS[text[Math.floor(gx / 4)] ?? ""];
    return glyph?.[gy]?.[gx % 4] === "1";
  };
  for (let py = 0; py < SIZE; py += 1) {
    const row = Buffer.alloc(1 + SIZE * 3);
    for (let px = 0; px < SIZE; px += 1) {
      const border = px < 2 || py < 2 || px >= SIZE - 2 || py >= SIZE - 2;
      const dark = border || inText(px, py);
      const noise = random();
      const offset = 1 + px * 3;
      // The high bits of the generator: its low bits repeat with a short period.
      row[offset] = dark ? 0x20 : colour[0] ^ ((noise >> 16) & 1);
      row[offset + 1] = dark ? 0x20 : colour[1] ^ ((noise >> 17) & 1);
      row[offset + 2] = dark ? 0x20 : colour[2];
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** GetCapabilities with layer "testkarta" in 3857 (zooms 0-18) and "sweref" in 3006 only. */
function capabilities(base: string): string {
  const matrices = Array.from({ length: 19 }, (_, z) => {
    const scale = 559082264.0287178 / 2 ** z;
    return `<TileMatrix><ows:Identifier>${z}</ows:Identifier><ScaleDenominator>${scale}</ScaleDenominator><TopLeftCorner>-20037508.342789244 20037508.342789244</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>${2 ** z}</MatrixWidth><MatrixHeight>${2 ** z}</MatrixHeight></TileMatrix>`;
  }).join("");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" version="1.0.0">
  <ows:ServiceProvider><ows:ProviderName>Testkommunen</ows:ProviderName></ows:ServiceProvider>
  <Contents>
    <Layer><ows:Title>Testkarta</ows:Title><ows:Identifier>testkarta</ows:Identifier>
      <Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style><Format>image/png</Format>
      <TileMatrixSetLink><TileMatrixSet>3006</TileMatrixSet></TileMatrixSetLink>
      <TileMatrixSetLink><TileMatrixSet>3857</TileMatrixSet></TileMatrixSetLink>
      <ResourceURL format="image/png" resourceType="tile" template="${base}/wmts/testkarta/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png"/>
    </Layer>
    <Layer><ows:Title>Sweref-karta</ows:Title><ows:Identifier>sweref</ows:Identifier><Format>image/png</Format>
      <TileMatrixSetLink><TileMatrixSet>3006</TileMatrixSet></TileMatrixSetLink>
      <ResourceURL format="image/png" resourceType="tile" template="${base}/wmts/sweref/default/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png"/>
    </Layer>
    <TileMatrixSet><ows:Identifier>3006</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::3006</ows:SupportedCRS>
      <TileMatrix><ows:Identifier>0</ows:Identifier><ScaleDenominator>17471320.7508974</ScaleDenominator><TopLeftCorner>8500000 -1200000</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>3</MatrixWidth><MatrixHeight>5</MatrixHeight></TileMatrix>
    </TileMatrixSet>
    <TileMatrixSet><ows:Identifier>3857</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS>${matrices}</TileMatrixSet>
  </Contents>
</Capabilities>`;
}

export interface TileServer {
  /** http://127.0.0.1:PORT */
  base: string;
  /** Tiles asked for, "z/x/y", in order of arrival. */
  requests: string[];
  /** Tiles answered, "z/x/y", in order. */
  served: string[];
  servedBytes: number;
  /**
   * Of the tiles `which` picks, answer the first `count` from now on and hold the rest until
   * release(); others are answered at once.
   */
  holdAfter(count: number, which: (tile: string) => boolean): void;
  release(): void;
  close(): Promise<void>;
}

const TILE_PATH = /^\/(?:tiles|wmts\/testkarta\/default\/3857)\/(\d+)\/(\d+)\/(\d+)\.png$/;
const WMTS_PATH = /^\/wmts\/testkarta\/default\/3857\/(\d+)\/(\d+)\/(\d+)\.png$/;

export async function startTileServer(): Promise<TileServer> {
  let holdLeft = Number.POSITIVE_INFINITY;
  let holdWhich: (tile: string) => boolean = () => false;
  let held: (() => void)[] = [];
  const state = {
    requests: [] as string[],
    served: [] as string[],
    servedBytes: 0,
  };
  const answer = (response: ServerResponse, key: string, png: Buffer) => {
    if (response.destroyed) return;
    state.served.push(key);
    state.servedBytes += png.length;
    response.writeHead(200, {
      "content-type": "image/png",
      "content-length": png.length,
      "access-control-allow-origin": "*",
      "cache-control": "no-store",
    });
    response.end(png);
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/wmts" && /getcapabilities/i.test(url.search)) {
      response.writeHead(200, {
        "content-type": "application/xml",
        "access-control-allow-origin": "*",
      });
      response.end(capabilities(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      return;
    }
    const match = TILE_PATH.exec(url.pathname);
    if (!match) {
      response.writeHead(404, { "access-control-allow-origin": "*" });
      response.end();
      return;
    }
    // XYZ is z/x/y; the WMTS REST template is TileMatrix/TileRow/TileCol, i.e. z/y/x.
    const [z, a, b] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const [x, y] = WMTS_PATH.test(url.pathname) ? [b, a] : [a, b];
    const key = `${z}/${x}/${y}`;
    state.requests.push(key);
    const png = tilePng(z, x, y);
    if (holdWhich(key) && holdLeft-- <= 0) held.push(() => answer(response, key, png));
    else answer(response, key, png);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    get served() {
      return state.served;
    },
    get servedBytes() {
      return state.servedBytes;
    },
    holdAfter(count, which) {
      holdLeft = count;
      holdWhich = which;
    },
    release() {
      holdLeft = Number.POSITIVE_INFINITY;
      holdWhich = () => false;
      const waiting = held;
      held = [];
      for (const run of waiting) run();
    },
    close() {
      held = [];
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
