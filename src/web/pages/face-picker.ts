import { h, replace } from '../dom.ts';

export interface Detection {
  width: number;
  height: number;
  faces: Array<{ faceIndex: number; box: { x: number; y: number; width: number; height: number }; detectionScore: number }>;
}

/**
 * The probe photo with a button over each detected face. Buttons are in the tab order, largest
 * face first, and say which one is chosen (aria-pressed). The choice is also written out, on the
 * chosen box and under the photo, so it never rests on the border colour alone.
 */
export function facePicker(container: HTMLElement, imageUrl: string, detection: Detection, onChoose: (faceIndex: number) => void): void {
  const count = detection.faces.length;
  const caption = h('figcaption', { 'data-testid': 'selected-face' });
  const describe = (chosen: number) => {
    caption.textContent = count === 1 ? 'One face found; it is selected: the search uses it.'
      : `${count} faces found (face 1 is the largest). Selected: face ${chosen + 1}. Choose another one to search with it instead.`;
  };
  const buttons = detection.faces.map((f) => {
    const { x, y, width, height } = f.box;
    const pct = (v: number, of: number) => `${((v / of) * 100).toFixed(2)}%`;
    // The visible label is the button's name, so what is seen and what is read out agree.
    const label = h('span', { class: 'face-label' });
    const button = h('button', { type: 'button', class: 'face-box', 'data-face-index': f.faceIndex }, label);
    button.style.left = pct(x, detection.width);
    button.style.top = pct(y, detection.height);
    button.style.width = pct(width, detection.width);
    button.style.height = pct(height, detection.height);
    button.addEventListener('click', () => {
      select(f.faceIndex);
      onChoose(f.faceIndex);
    });
    return button;
  });
  const select = (chosen: number) => {
    buttons.forEach((b, i) => {
      const index = detection.faces[i]!.faceIndex;
      b.setAttribute('aria-pressed', String(index === chosen));
      replace(b.firstElementChild as HTMLElement, h('span', { class: 'visually-hidden' }, 'Face '),
        index === chosen ? `${index + 1} · selected` : String(index + 1),
        index === 0 && count > 1 ? h('span', { class: 'visually-hidden' }, ' (largest)') : null);
    });
    describe(chosen);
  };
  select(detection.faces[0]?.faceIndex ?? 0);
  replace(container,
    h('figure', { class: 'probe' },
      h('div', { class: 'probe-frame' }, h('img', { src: imageUrl, alt: 'The photo you chose' }), ...buttons),
      caption));
}
