import { vectorIndexContract } from './vector-index.contract.ts';
import { UsearchIndex } from './usearch-index.ts';

for (const quantisation of ['f32', 'f16', 'i8'] as const) {
  vectorIndexContract(`UsearchIndex ${quantisation}`, {
    create: (dimension) => new UsearchIndex({ dimension, quantisation, threads: 2 }),
    load: (path, options) => UsearchIndex.load(path, options),
  });
}
vectorIndexContract('UsearchIndex view', {
  create: (dimension) => new UsearchIndex({ dimension, threads: 2 }),
  load: (path, options) => UsearchIndex.view(path, options),
});
