// GPU discovery and planning data: nvidia-smi query, CUDA_VISIBLE_DEVICES, memory sizes, presets.
export * from './nvidia-smi';
export * from './visible-devices';
export * from './discover';
export * from './memory-size';
export * from './presets';
