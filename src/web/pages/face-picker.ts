import { h, replace } from '../dom.ts';

export interface Detection {
  width: number;
  height: number;
  faces: Array<{ faceIndex: number; box: { x: number; y: number; width: number; height: number }; detectionScore: number }>;
}

/**
 * The probe photo with a button over each detected face. Buttons are in the tab order, largest
 * face first, and say which one is chosen (aria-pressed), so the choice needs no mouse.
 */
export function facePicker(container: HTMLElement, imageUrl: string, detection: Detection, onChoose: (faceIndex: number) => void): void {
  const buttons = detection.faces.map((f) => {
    const { x, y, width, height } = f.box;
    const pct = (v: number, of: number) => `${((v / of) * 100).toFixed(2)}%`;
    const button = h('button', {
      type: 'button', class: 'face-box', 'data-face-index': f.faceIndex, 'aria-pressed': String(f.faceIndex === 0),
      'aria-label': `Face ${f.faceIndex + 1}${f.faceIndex === 0 ? ' (largest)' : ''}`,
    }, h('span', { class: 'face-label', 'aria-hidden': 'true' }, String(f.faceIndex + 1)));
    button.style.left = pct(x, detection.width);
    button.style.top = pct(y, detection.height);
    button.style.width = pct(width, detection.width);
    button.style.height = pct(height, detection.height);
    button.addEventListener('click', () => {
      for (const b of buttons) b.setAttribute('aria-pressed', String(b === button));
      onChoose(f.faceIndex);
    });
    return button;
  });
  const count = detection.faces.length;
  replace(container,
    h('figure', { class: 'probe' },
      h('div', { class: 'probe-frame' }, h('img', { src: imageUrl, alt: 'The photo you chose' }), ...buttons),
      h('figcaption', {}, count === 1 ? 'One face found; it is selected.' : `${count} faces found. Choose the one to search with (face 1 is the largest).`)));
}
