import { png } from '../src/png';

/** Inside a shield: a flat top with rounded corners, straight sides, and a point at the bottom (unit square). */
function inShield(x: number, y: number): boolean {
  if (y < 0.1 || y > 0.92) return false;
  const halfWidth = y < 0.55 ? 0.36 : 0.36 * (1 - (y - 0.55) / 0.37);
  return Math.abs(x - 0.5) <= halfWidth;
}

/** Near the tick inside the shield: two strokes. */
function onTick(x: number, y: number, w: number): boolean {
  const seg = (x1: number, y1: number, x2: number, y2: number) => {
    const dx = x2 - x1;
    const dy = y2 - y1;
    const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) <= w;
  };
  return seg(0.34, 0.47, 0.46, 0.6) || seg(0.46, 0.6, 0.68, 0.36);
}

/** The 192×192 colour icon: a white shield with a green tick on the school-green tile. */
export function colorIcon(size = 192): Buffer {
  const px = new Uint8Array(size * size * 4);
  const ss = 4; // supersampling for smooth edges
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let shield = 0;
      let tick = 0;
      for (let sy = 0; sy < ss; sy++)
        for (let sx = 0; sx < ss; sx++) {
          const u = (x + (sx + 0.5) / ss) / size;
          const v = (y + (sy + 0.5) / ss) / size;
          if (inShield(u, v)) {
            shield++;
            if (onTick(u, v, 0.045)) tick++;
          }
        }
      const n = ss * ss;
      const bg = [0x1f, 0x6f, 0x5c];
      const white = [255, 255, 255];
      const green = [0x1f, 0x6f, 0x5c];
      const mix = (a: number[], b: number[], t: number) => a.map((v, i) => Math.round(v * (1 - t) + b[i]! * t));
      const c = mix(mix(bg, white, shield / n), green, tick / n);
      px.set([c[0]!, c[1]!, c[2]!, 255], (y * size + x) * 4);
    }
  }
  return png(size, size, px);
}

/** The 32×32 outline icon: the shield's outline in white on transparent, as Teams asks. */
export function outlineIcon(size = 32): Buffer {
  const px = new Uint8Array(size * size * 4);
  const ss = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let on = 0;
      for (let sy = 0; sy < ss; sy++)
        for (let sx = 0; sx < ss; sx++) {
          const u = (x + (sx + 0.5) / ss) / size;
          const v = (y + (sy + 0.5) / ss) / size;
          const edge = inShield(u, v) && !inShield(0.5 + (u - 0.5) * 1.3, 0.5 + (v - 0.5) * 1.22);
          if (edge || (inShield(u, v) && onTick(u, v, 0.05))) on++;
        }
      px.set([255, 255, 255, Math.round((on / (ss * ss)) * 255)], (y * size + x) * 4);
    }
  }
  return png(size, size, px);
}
