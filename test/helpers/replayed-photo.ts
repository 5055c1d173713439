import sharp from 'sharp';

/**
 * A photograph of a printed photo, built from a real one: the print on a white border lying on a
 * dark desk, with the moiré of the print's screen, a glare spot, a little blur and recompression.
 */
export async function replayedPhoto(original: Uint8Array, side = 360, printSide = 220): Promise<Buffer> {
  const print = await sharp(original).resize(printSide, printSide).extend({ top: 8, bottom: 8, left: 8, right: 8, background: '#f4f4f0' }).toBuffer();
  const desk = Buffer.alloc(side * side * 3);
  for (let i = 0; i < desk.length; i += 3) desk.set([90, 80, 70], i);
  const offset = Math.round((side - printSide - 16) / 2);
  const raw = await sharp(desk, { raw: { width: side, height: side, channels: 3 } })
    .composite([{ input: print, left: offset, top: offset }]).removeAlpha().raw().toBuffer();
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const moire = 1 + 0.07 * Math.sin(x * 0.9 + y * 0.35);
      const glare = 60 * Math.exp(-((x - side * 0.6) ** 2 + (y - side * 0.3) ** 2) / 1600);
      for (let c = 0; c < 3; c++) {
        const i = 3 * (y * side + x) + c;
        raw[i] = Math.max(0, Math.min(255, raw[i]! * moire + glare));
      }
    }
  }
  return sharp(raw, { raw: { width: side, height: side, channels: 3 } }).blur(0.6).modulate({ saturation: 0.85 }).jpeg({ quality: 80 }).toBuffer();
}
