/** Bottleneck analytics over approval logs: pure, tested in Node (test/unit/analytics*.test.ts). */
export * from './facts'
export * from './metrics'
export * from './report'
export * from './stats'
export * from './words'
export * from './csv'
export * from './viewers'
