import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config.ts';
import { LikenessError } from '../../errors.ts';
import type { OnnxModelFile } from '../face/model-config.ts';

/** fr_age.onnx of the installed model pack, with the SHA-256 that package.json pins for it. */
export function defaultAgeModel(projectRoot: string = PROJECT_ROOT): OnnxModelFile {
  const pack = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).modelPack as {
    name: string; version: string; files: Record<string, string>;
  };
  const sha256 = pack.files['fr_age.onnx'];
  if (!sha256) throw new LikenessError('LIKENESS_MODEL_INTEGRITY', 'package.json pins no hash for fr_age.onnx');
  return { path: join(projectRoot, 'models', `${pack.name}-${pack.version}`, 'fr_age.onnx'), sha256 };
}
