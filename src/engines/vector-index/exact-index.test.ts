import { ExactIndex } from './exact-index.ts';
import { vectorIndexContract } from './vector-index.contract.ts';

vectorIndexContract('ExactIndex', {
  create: (dimension) => new ExactIndex({ dimension, threads: 2 }),
  load: (path, options) => ExactIndex.load(path, options),
});
