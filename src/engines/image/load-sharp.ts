import type Sharp from 'sharp';

let loading: Promise<typeof Sharp> | undefined;

/**
 * The image library, imported on first use and held from then on: a program that never decodes
 * never loads it, and one that decodes every image does not resolve the module again for each
 * (a dynamic import per call costs a trip through the module loader, and under a loader with
 * hooks, such as the benchmarks', a message to its thread and back).
 */
export function loadSharp(): Promise<typeof Sharp> {
  return (loading ??= import('sharp').then((module) => module.default));
}
