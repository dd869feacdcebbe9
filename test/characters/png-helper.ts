import { deflateSync } from "node:zlib";
import { crc32 } from "../../src/characters/png.js";

/** One PNG chunk: length, type, data, CRC over type and data. */
export function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function tEXt(keyword: string, text: string): Buffer {
  return chunk("tEXt", Buffer.concat([Buffer.from(keyword, "latin1"), Buffer.from([0]), Buffer.from(text, "latin1")]));
}

export function zTXt(keyword: string, text: string): Buffer {
  return chunk(
    "zTXt",
    Buffer.concat([Buffer.from(keyword, "latin1"), Buffer.from([0, 0]), deflateSync(Buffer.from(text, "latin1"))]),
  );
}

export function iTXt(keyword: string, text: string, compressed = false): Buffer {
  const body = compressed ? deflateSync(Buffer.from(text, "utf8")) : Buffer.from(text, "utf8");
  return chunk(
    "iTXt",
    Buffer.concat([
      Buffer.from(keyword, "latin1"),
      Buffer.from([0, compressed ? 1 : 0, 0]),
      Buffer.from("en\0\0", "latin1"),
      body,
    ]),
  );
}

/** A valid 1×1 RGB PNG with the given extra chunks between IHDR and IDAT. */
export function makePng(extra: Buffer[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const pixels = deflateSync(Buffer.from([0, 200, 120, 40])); // filter byte + one pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    ...extra,
    chunk("IDAT", pixels),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A PNG card: the card JSON, base64, in a `chara` tEXt chunk. */
export function pngCard(card: unknown, keyword = "chara"): Buffer {
  return makePng([tEXt(keyword, Buffer.from(JSON.stringify(card), "utf8").toString("base64"))]);
}
