export * from './common.ts';
export * from './partner.ts';
export * from './key.ts';
export * from './audit.ts';
export * from './routes.ts';
export * from './dataset.ts';
export * from './contract.ts';
