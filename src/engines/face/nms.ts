/** Corner-form box with a score, as detectors emit them. */
export interface ScoredBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

export function iou(a: ScoredBox, b: ScoredBox): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy hard non-maximum suppression: keeps the best box, drops every box overlapping it by
 * more than `iouThreshold`, repeats. `topK` bounds the candidates considered, which bounds the
 * quadratic cost on images full of low-score anchors.
 */
export function nonMaximumSuppression(boxes: readonly ScoredBox[], iouThreshold: number, topK = Infinity): ScoredBox[] {
  const candidates = [...boxes].sort((a, b) => b.score - a.score).slice(0, topK);
  const kept: ScoredBox[] = [];
  for (const box of candidates) {
    if (kept.every((k) => iou(k, box) <= iouThreshold)) kept.push(box);
  }
  return kept;
}
